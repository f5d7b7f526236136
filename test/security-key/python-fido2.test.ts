import { afterEach, describe, expect, it } from 'vitest';
import { createSecurityKeyProvider } from '../../src/main/stores/security-key';
import type { Passkey } from '../../src/shared/model';
import { findPythonWithFido2, runBridge } from '../helpers/soft-ctap/python';
import { startSoftKeyServer } from '../helpers/soft-ctap/socket-server';
import type { SoftKeyServer } from '../helpers/soft-ctap/socket-server';
import { newKeyState, seedCredential } from '../helpers/soft-ctap/state';
import type { SoftKeyState } from '../helpers/soft-ctap/state';

/**
 * The model is only worth something if a client we did not write agrees with it. Yubico's python-fido2 drives
 * the same simulated key over 127.0.0.1 with its own CTAPHID framing, CBOR (strict canonical check on every
 * reply), PIN protocol and credential management, and must see what Passkey Desk sees.
 */
const python = findPythonWithFido2();
const PIN = '123456';
const servers: SoftKeyServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(
  over: Partial<SoftKeyState> = {},
): Promise<{ server: SoftKeyServer; state: SoftKeyState; list: () => Promise<Passkey[]> }> {
  const state = newKeyState(over);
  seedCredential(state, { rpId: 'example.com', userName: 'alice@example.com', userDisplayName: 'Alice' });
  seedCredential(state, { rpId: 'example.com', userName: 'bob@example.com', userDisplayName: 'Bob' });
  seedCredential(state, { rpId: 'github.com', rpName: null, userName: 'carol', userDisplayName: null });
  const server = await startSoftKeyServer(state);
  servers.push(server);
  // The production provider, selected by configuration exactly as the CLI and the e2e tests select it.
  const provider = createSecurityKeyProvider({ env: { PASSKEY_DESK_FAKE_SECURITY_KEY: server.address } });
  const list = async (): Promise<Passkey[]> => {
    const [store] = await provider.stores();
    return store!.list({ pin: PIN });
  };
  return { server, state, list };
}

type Row = {
  rpId: unknown;
  credentialId: unknown;
  userHandle: unknown;
  userName: unknown;
  userDisplayName: unknown;
  algorithm: unknown;
};
const rows = (xs: Row[]): string[] =>
  xs
    .map((x) =>
      JSON.stringify([x.rpId, x.credentialId, x.userHandle, x.userName, x.userDisplayName, x.algorithm]),
    )
    .sort();

describe('python-fido2 (independent client) agrees with the model and with Passkey Desk', () => {
  it('finds python-fido2 (Debian: apt-get install -y python3-fido2)', () => {
    expect(
      python,
      'no Python with the fido2 module: install python3-fido2, or set PASSKEY_DESK_PYTHON',
    ).not.toBeNull();
  });

  for (const mode of ['2.1', '2.1-pre'] as const) {
    it(`lists the same credentials and slot counts (${mode})`, async () => {
      const { server, list } = await serve({ mode, maxSlots: 10 });
      const py = await runBridge(python!, server.address, 'list', PIN);
      expect(py).toMatchObject({ existing: 3, remaining: 7 });
      expect(rows(py['credentials'] as Row[])).toEqual(rows(await list()));
    });
  }

  it('a deletion by python-fido2 is seen by Passkey Desk, and the reverse', async () => {
    const { server, state, list } = await serve();
    const [alice, bob] = state.credentials;
    expect(await runBridge(python!, server.address, 'delete', PIN, alice!.credentialId)).toEqual({
      ok: true,
    });
    expect((await list()).map((p) => p.userName).sort()).toEqual(['bob@example.com', 'carol']);
    const [store] = await createSecurityKeyProvider({
      env: { PASSKEY_DESK_FAKE_SECURITY_KEY: server.address },
    }).stores();
    await store!.delete(bob!.credentialId, { pin: PIN });
    const py = await runBridge(python!, server.address, 'list', PIN);
    expect((py['credentials'] as Row[]).map((c) => c.userName)).toEqual(['carol']);
  });

  it('an update by python-fido2 is seen by Passkey Desk, and the reverse', async () => {
    const { server, state, list } = await serve();
    const id = state.credentials[0]!.credentialId;
    expect(
      await runBridge(python!, server.address, 'update', PIN, id, 'alice@new.example', 'Alice N.'),
    ).toEqual({ ok: true });
    expect((await list()).find((p) => p.credentialId === id)).toMatchObject({
      userName: 'alice@new.example',
      userDisplayName: 'Alice N.',
    });
    const [store] = await createSecurityKeyProvider({
      env: { PASSKEY_DESK_FAKE_SECURITY_KEY: server.address },
    }).stores();
    await store!.rename(id, { userName: 'alice@final.example', userDisplayName: 'Alice F.' }, { pin: PIN });
    const py = await runBridge(python!, server.address, 'list', PIN);
    expect((py['credentials'] as Row[]).find((c) => c.credentialId === id)).toMatchObject({
      userName: 'alice@final.example',
      userDisplayName: 'Alice F.',
    });
  });

  it('wrong PIN: both clients get CTAP2_ERR_PIN_INVALID and read the same retry counter', async () => {
    const { server, list } = await serve();
    expect(await runBridge(python!, server.address, 'token', '000000')).toMatchObject({
      error: 'PIN_INVALID',
      status: 0x31,
    });
    expect(await runBridge(python!, server.address, 'retries')).toEqual({ retries: 7 });
    const [store] = await createSecurityKeyProvider({
      env: { PASSKEY_DESK_FAKE_SECURITY_KEY: server.address },
    }).stores();
    await expect(store!.list({ pin: '111111' })).rejects.toMatchObject({
      code: 'PIN_INVALID',
      details: { retriesLeft: 6 },
    });
    expect(await runBridge(python!, server.address, 'retries')).toEqual({ retries: 6 });
    await list();
    expect(await runBridge(python!, server.address, 'retries')).toEqual({ retries: 8 });
  });

  it('PIN blocked: python-fido2 sees CTAP2_ERR_PIN_BLOCKED where Passkey Desk says PIN_BLOCKED', async () => {
    const { server, list } = await serve({ pinRetries: 1 });
    expect(await runBridge(python!, server.address, 'token', '000000')).toMatchObject({
      error: 'PIN_BLOCKED',
      status: 0x32,
    });
    expect(await runBridge(python!, server.address, 'token', PIN)).toMatchObject({ error: 'PIN_BLOCKED' });
    await expect(list()).rejects.toMatchObject({ code: 'PIN_BLOCKED' });
  });

  it('no credentials: enumerateRPsBegin answers CTAP2_ERR_NO_CREDENTIALS, and both show an empty key', async () => {
    const state = newKeyState();
    const server = await startSoftKeyServer(state);
    servers.push(server);
    expect(await runBridge(python!, server.address, 'list', PIN)).toEqual({
      existing: 0,
      remaining: 25,
      credentials: [],
    });
    const [store] = await createSecurityKeyProvider({
      env: { PASSKEY_DESK_FAKE_SECURITY_KEY: server.address },
    }).stores();
    expect(await store!.list({ pin: PIN })).toEqual([]);
  });

  it('full key: makeCredential fails with CTAP2_ERR_KEY_STORE_FULL, after keepalives while waiting for a touch', async () => {
    const { server, list } = await serve({ maxSlots: 4, touchKeepalives: 3 });
    const made = await runBridge(python!, server.address, 'make', PIN, 'new.example', 'dave');
    expect(made).toMatchObject({ ok: true, keepalives: [2] }); // UPNEEDED, reported once by python-fido2
    expect((await list()).map((p) => p.rpId)).toContain('new.example');
    expect(await runBridge(python!, server.address, 'make', PIN, 'other.example', 'erin')).toMatchObject({
      error: 'KEY_STORE_FULL',
      status: 0x28,
    });
    const [store] = await createSecurityKeyProvider({
      env: { PASSKEY_DESK_FAKE_SECURITY_KEY: server.address },
    }).stores();
    expect(await store!.list({ pin: PIN })).toHaveLength(4);
    expect(await store!.describe()).toMatchObject({ existingCredentials: 4, remainingSlots: 0 });
  });

  it('fragmented messages: a 1000-byte PING round-trips through python-fido2’s framing', async () => {
    const { server } = await serve();
    expect(await runBridge(python!, server.address, 'ping', '1000')).toEqual({ ok: true, size: 1000 });
  });

  it('2.1-PRE: python-fido2 also uses 0x41 and cannot update user information', async () => {
    const { server, state } = await serve({ mode: '2.1-pre' });
    const info = await runBridge(python!, server.address, 'info');
    expect(info).toMatchObject({
      versions: ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE'],
      pinUvAuthProtocols: [1],
    });
    expect(
      await runBridge(python!, server.address, 'update', PIN, state.credentials[0]!.credentialId, 'x', 'y'),
    ).toMatchObject({ status: 0x3e });
  });

  it('removal mid-enumeration through the socket backend gives DEVICE_REMOVED', async () => {
    const { server } = await serve();
    server.device.authenticator.onCommand = (cmd, sub) => {
      if (cmd === 0x0a && sub === 0x05) server.unplug();
    };
    const [store] = await createSecurityKeyProvider({
      env: { PASSKEY_DESK_FAKE_SECURITY_KEY: server.address },
    }).stores();
    await expect(store!.list({ pin: PIN })).rejects.toMatchObject({ code: 'DEVICE_REMOVED' });
  });
});
