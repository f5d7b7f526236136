import { describe, expect, it } from 'vitest';
import { createSecurityKeyProvider } from '../../src/main/stores/security-key';
import type { SecurityKeyStore } from '../../src/main/stores/security-key';
import { MemoryHidBackend } from '../helpers/soft-ctap/memory-hid';
import type { MemoryKey } from '../helpers/soft-ctap/memory-hid';
import { newKeyState, seedCredential } from '../helpers/soft-ctap/state';
import type { SoftKeyState } from '../helpers/soft-ctap/state';

const PIN = '123456';

async function setup(
  over: Partial<SoftKeyState> = {},
  seed = true,
): Promise<{ hid: MemoryHidBackend; key: MemoryKey; store: SecurityKeyStore; state: SoftKeyState }> {
  const state = newKeyState(over);
  if (seed) {
    seedCredential(state, {
      rpId: 'example.com',
      rpName: 'Example',
      userName: 'alice@example.com',
      userDisplayName: 'Alice',
    });
    seedCredential(state, {
      rpId: 'example.com',
      rpName: 'Example',
      userName: 'bob@example.com',
      userDisplayName: 'Bob',
    });
    seedCredential(state, { rpId: 'github.com', userName: 'carol', userDisplayName: 'Carol' });
  }
  const hid = new MemoryHidBackend();
  const key = hid.add(state);
  const provider = createSecurityKeyProvider({
    hid,
    hidOptions: { idleTimeoutMs: 300, totalTimeoutMs: 3_000 },
  });
  const [store] = await provider.stores();
  return { hid, key, store: store!, state };
}

describe('security-key store: listing', () => {
  it('lists every discoverable passkey of a CTAP 2.1 key as Passkeys', async () => {
    const { store, state } = await setup();
    const list = await store.list({ pin: PIN });
    expect(list).toHaveLength(3);
    const alice = list.find((p) => p.userName === 'alice@example.com')!;
    expect(alice).toMatchObject({
      store: store.id,
      storeKind: 'security-key',
      rpId: 'example.com',
      credentialId: state.credentials[0]!.credentialId,
      userHandle: state.credentials[0]!.userId,
      userDisplayName: 'Alice',
      algorithm: -7,
      aaguid: 'fa2b99dc-9e39-4257-8f92-4a30d23c4118',
      providerName: 'YubiKey 5 Series with NFC',
      discoverable: true,
      backupEligible: false,
      removable: true,
    });
    expect(store.id).toMatch(/^security-key:[0-9a-f]{12}$/);
  });

  it('reports slots, PIN state and versions without and with the PIN', async () => {
    const { store } = await setup({ maxSlots: 5 });
    const noPin = await store.info();
    expect(noPin).toMatchObject({
      status: 'needs-pin',
      capabilities: { list: true, delete: true, rename: true },
      facts: { pinRetries: 8, remainingSlots: 2 },
    });
    await store.list({ pin: PIN }); // list() reads getCredsMetadata too; facts never spend a PIN attempt
    const withPin = await store.describe();
    expect(withPin).toMatchObject({
      existingCredentials: 3,
      remainingSlots: 2,
      ctapLevel: 'ctap2.1',
      pinSet: true,
      limitations: [],
    });
  });

  it('returns an empty list for a key without passkeys (CTAP2_ERR_NO_CREDENTIALS)', async () => {
    const { store } = await setup({}, false);
    expect(await store.list({ pin: PIN })).toEqual([]);
    expect(await store.describe()).toMatchObject({ existingCredentials: 0, remainingSlots: 25 });
  });

  it('a full key lists normally and says 0 slots remain', async () => {
    const { store } = await setup({ maxSlots: 3 });
    expect(await store.list({ pin: PIN })).toHaveLength(3);
    expect(await store.describe()).toMatchObject({ existingCredentials: 3, remainingSlots: 0 });
  });

  it('handles messages longer than one report (long names, many credentials)', async () => {
    const state = newKeyState();
    const long = 'x'.repeat(200);
    for (let i = 0; i < 12; i++)
      seedCredential(state, {
        rpId: `site${i}.example`,
        rpName: long,
        userName: `${long}${i}`,
        userDisplayName: long,
        credentialIdLength: 128,
      });
    const hid = new MemoryHidBackend();
    const key = hid.add(state);
    const [store] = await createSecurityKeyProvider({ hid }).stores();
    const list = await store!.list({ pin: PIN });
    expect(list).toHaveLength(12);
    expect(list[5]!.userName).toBe(`${long}5`);
    // The host really sent continuation packets: some reports carry SEQ numbers (bit 7 clear).
    expect(key.written.some((r) => (r[4]! & 0x80) === 0)).toBe(true);
  });
});

describe('security-key store: PIN', () => {
  it('asks for the PIN when none is given', async () => {
    const { store } = await setup();
    await expect(store.list()).rejects.toMatchObject({ code: 'PIN_REQUIRED' });
  });

  it('a wrong PIN says how many tries remain, and the key counts down', async () => {
    const { store, state } = await setup();
    await expect(store.list({ pin: '000000' })).rejects.toMatchObject({
      code: 'PIN_INVALID',
      details: { retriesLeft: 7 },
      message: expect.stringMatching(/7 tries left/),
    });
    await expect(store.list({ pin: '111111' })).rejects.toMatchObject({
      code: 'PIN_INVALID',
      details: { retriesLeft: 6 },
    });
    expect(state.pinRetries).toBe(6);
    // The right PIN resets the counter.
    await store.list({ pin: PIN });
    expect(state.pinRetries).toBe(8);
  });

  it('three wrong PINs in a row need a replug (PIN_AUTH_BLOCKED), then the PIN works again', async () => {
    const { store, key } = await setup();
    await store.list({ pin: '000000' }).catch(() => undefined);
    await store.list({ pin: '000000' }).catch(() => undefined);
    await expect(store.list({ pin: '000000' })).rejects.toMatchObject({
      code: 'PIN_INVALID',
      details: { powerCycleRequired: true },
    });
    await expect(store.list({ pin: PIN })).rejects.toMatchObject({
      code: 'PIN_INVALID',
      message: expect.stringMatching(/Unplug it/),
    });
    key.replug();
    expect(await store.list({ pin: PIN })).toHaveLength(3);
  });

  it('the last wrong PIN blocks the key, and says a reset is the only way out', async () => {
    const { store } = await setup({ pinRetries: 1 });
    await expect(store.list({ pin: '000000' })).rejects.toMatchObject({
      code: 'PIN_BLOCKED',
      message: expect.stringMatching(/erases every passkey/),
    });
    await expect(store.list({ pin: PIN })).rejects.toMatchObject({ code: 'PIN_BLOCKED' });
    expect(await store.info()).toMatchObject({
      status: 'locked',
      facts: { pinBlocked: true, pinRetries: 0 },
    });
  });

  it('a key without a PIN says how to set one', async () => {
    const { store } = await setup({ pin: null });
    await expect(store.list({ pin: PIN })).rejects.toMatchObject({
      code: 'PIN_NOT_SET',
      message: expect.stringMatching(/Set a PIN/),
    });
    expect((await store.describe()).limitations.join(' ')).toMatch(/No PIN is set/);
  });

  it('info() never uses the PIN, so an inventory read with a wrong PIN costs one retry, not two', async () => {
    const { store, state } = await setup();
    expect(await store.info({ pin: '000000' })).toMatchObject({ status: 'available' });
    expect(state.pinRetries).toBe(8);
    await expect(store.list({ pin: '000000' })).rejects.toMatchObject({ code: 'PIN_INVALID' });
    expect(state.pinRetries).toBe(7);
  });

  it('concurrent calls on one store run one after the other instead of colliding on the key', async () => {
    const { store } = await setup();
    const results = await Promise.all([
      store.info(),
      store.list({ pin: PIN }),
      store.describe(),
      store.list({ pin: PIN }),
    ]);
    expect(results[1]).toHaveLength(3);
    expect(results[3]).toHaveLength(3);
  });

  it('rejects an impossible PIN locally without spending a retry', async () => {
    const { store, state } = await setup();
    await expect(store.list({ pin: '12' })).rejects.toMatchObject({ code: 'PIN_INVALID' });
    expect(state.pinRetries).toBe(8);
  });
});

describe('security-key store: delete and rename', () => {
  it('deletes one passkey and leaves the others', async () => {
    const { store, state } = await setup();
    const bob = state.credentials[1]!.credentialId;
    await store.delete(bob, { pin: PIN });
    const after = await store.list({ pin: PIN });
    expect(after.map((p) => p.userName).sort()).toEqual(['alice@example.com', 'carol']);
    await expect(store.delete(bob, { pin: PIN })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('deletes the last passkey of a site (the site disappears from enumeration)', async () => {
    const { store, state } = await setup();
    await store.delete(state.credentials[2]!.credentialId, { pin: PIN });
    expect((await store.list({ pin: PIN })).map((p) => p.rpId)).toEqual(['example.com', 'example.com']);
  });

  it('corrects the user name and display name (updateUserInformation)', async () => {
    const { store, state } = await setup();
    const id = state.credentials[0]!.credentialId;
    const updated = await store.rename(id, { userName: 'alice@new.example' }, { pin: PIN });
    expect(updated).toMatchObject({
      userName: 'alice@new.example',
      userDisplayName: 'Alice',
      credentialId: id,
    });
    await store.rename(id, { userDisplayName: 'Alice Liddell' }, { pin: PIN });
    expect((await store.list({ pin: PIN })).find((p) => p.credentialId === id)).toMatchObject({
      userName: 'alice@new.example',
      userDisplayName: 'Alice Liddell',
    });
    expect(state.credentials[0]!.userId).toBe(updated.userHandle);
  });

  it('refuses a rename with nothing the key stores', async () => {
    const { store, state } = await setup();
    await expect(
      store.rename(state.credentials[0]!.credentialId, { nickname: 'work' }, { pin: PIN }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('older keys', () => {
  it('2.1-PRE: lists and deletes with 0x41 and legacy getPinToken, but cannot rename, and says so', async () => {
    const { store, state, key } = await setup({ mode: '2.1-pre' });
    const seen: number[] = [];
    key.device.authenticator.onCommand = (cmd, sub) => {
      if (cmd === 0x06 || cmd === 0x41 || cmd === 0x0a) seen.push(cmd * 0x100 + (sub ?? 0));
    };
    expect(await store.list({ pin: PIN })).toHaveLength(3);
    expect(seen).toContain(0x0605); // clientPIN getPinToken (legacy)
    expect(seen).not.toContain(0x0609);
    expect(seen).toContain(0x4102); // enumerateRPsBegin over the preview command
    await store.delete(state.credentials[0]!.credentialId, { pin: PIN });
    expect(state.credentials).toHaveLength(2);
    await expect(
      store.rename(state.credentials[0]!.credentialId, { userName: 'x' }, { pin: PIN }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/preview/) });
    const info = await store.info();
    expect(info.capabilities).toMatchObject({ list: true, delete: true, rename: false });
    expect(info.reason).toMatch(/cannot be changed/);
  });

  it('2.0: says it cannot list or delete one by one, with the words to show', async () => {
    const { store } = await setup({ mode: '2.0' });
    await expect(store.list({ pin: PIN })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/CTAP 2.0 only/),
    });
    const info = await store.info();
    expect(info).toMatchObject({
      status: 'unavailable',
      capabilities: { list: false, delete: false, rename: false },
      complete: false,
    });
    expect(info.reason).toMatch(/CTAP 2.0/);
  });
});

describe('provider', () => {
  it('returns one store per plugged key, with stable ids, and forgets unplugged ones', async () => {
    const hid = new MemoryHidBackend();
    hid.add(newKeyState({ serialNumber: 'A1' }));
    const b = hid.add(newKeyState({ serialNumber: null, aaguid: 'ab32f0c6-2239-afbb-c470-d2ef4e254db7' }));
    const provider = createSecurityKeyProvider({ hid });
    const stores = await provider.stores();
    expect(stores).toHaveLength(2);
    expect(new Set(stores.map((s) => s.id)).size).toBe(2);
    expect((await createSecurityKeyProvider({ hid }).stores()).map((s) => s.id)).toEqual(
      stores.map((s) => s.id),
    );
    expect((await provider.listKeys()).map((k) => k.label)).toEqual([
      'YubiKey 5 Series with NFC',
      'TOKEN2 FIDO2 Security Key',
    ]);
    b.unplug();
    expect(await provider.stores()).toHaveLength(1);
    await expect(provider.store()).resolves.toBeDefined();
    await expect(provider.store('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('stores() is empty, and listKeys() explains, when HID is unusable', async () => {
    const provider = createSecurityKeyProvider({
      hid: {
        enumerate: () => Promise.reject(Object.assign(new Error('x'), {})),
        open: () => Promise.reject(new Error('x')),
      },
    });
    expect(await provider.stores()).toEqual([]);
    await expect(provider.listKeys()).rejects.toThrow();
  });
});

describe('with the shared inventory reader', () => {
  it('shows needs-pin without a PIN, the passkeys with it, and a wrong PIN as this store’s error only', async () => {
    const { readInventory, StoreRegistry } = await import('../../src/main/inventory');
    const { hid, state } = await setup();
    const registry = new StoreRegistry([], [createSecurityKeyProvider({ hid })]);
    const now = () => new Date('2026-01-01T00:00:00Z');
    const noPin = await readInventory(registry, (p) => p, now);
    expect(noPin.stores[0]).toMatchObject({
      kind: 'security-key',
      status: 'needs-pin',
      label: 'YubiKey 5 Series with NFC',
    });
    expect(noPin.passkeys).toEqual([]);
    const withPin = await readInventory(registry, (p) => p, now, { pin: PIN });
    expect(withPin.passkeys).toHaveLength(3);
    expect(withPin.stores[0]).toMatchObject({ status: 'available', complete: true, count: 3 });
    const wrong = await readInventory(registry, (p) => p, now, { pin: '000000' });
    expect(wrong.stores[0]).toMatchObject({
      status: 'error',
      complete: false,
      reason: expect.stringMatching(/Wrong PIN.*7 tries left/),
    });
    expect(state.pinRetries).toBe(7);
  });
});
