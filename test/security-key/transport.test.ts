import { describe, expect, it } from 'vitest';
import { createSecurityKeyProvider } from '../../src/main/stores/security-key';
import type { HidBackend, HidConnection } from '../../src/main/stores/security-key';
import { CtapHidChannel } from '../../src/main/stores/security-key/ctaphid';
import { BROADCAST_CID, CTAPHID, encodeMessage } from '../../src/main/stores/security-key/ctaphid-frames';
import { MemoryHidBackend } from '../helpers/soft-ctap/memory-hid';
import type { EndpointOptions } from '../helpers/soft-ctap/hid-endpoint';
import { newKeyState, seedCredential } from '../helpers/soft-ctap/state';
import type { SoftKeyState } from '../helpers/soft-ctap/state';

const PIN = '123456';
const FAST = { idleTimeoutMs: 300, totalTimeoutMs: 3_000 };

function keyWith(over: Partial<SoftKeyState> = {}, endpoint: EndpointOptions = {}, n = 3) {
  const state = newKeyState(over);
  for (let i = 0; i < n; i++)
    seedCredential(state, { rpId: i % 2 ? 'github.com' : 'example.com', userName: `user${i}` });
  const hid = new MemoryHidBackend();
  const key = hid.add(state, endpoint);
  return { hid, key, state, provider: createSecurityKeyProvider({ hid, hidOptions: FAST }) };
}

describe('CTAPHID transport against the software key', () => {
  it('INIT skips a reply that carries someone else’s nonce and uses the one with ours', async () => {
    const { hid, key } = keyWith();
    const conn = await hid.open(key.info.path);
    // Another application's INIT reply arrives first on the broadcast channel (§11.2.9.1.3).
    const foreign = new Uint8Array(17);
    foreign.set([9, 9, 9, 9, 9, 9, 9, 9, 0xde, 0xad, 0xbe, 0xef, 2, 1, 0, 0, 0x05]);
    const injected = encodeMessage(BROADCAST_CID, CTAPHID.INIT, foreign);
    const wrapped: HidConnection = {
      write: (r) => conn.write(r),
      read: async (t) => injected.shift() ?? conn.read(t),
      close: () => conn.close(),
    };
    const channel = await CtapHidChannel.open(wrapped, {
      random: () => Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
    });
    expect(channel.info.cid).not.toBe(0xdeadbeef);
    expect(channel.info.cid).toBe(0x01020304);
    expect(channel.supportsCbor).toBe(true);
    const ping = Uint8Array.from({ length: 500 }, (_, i) => i % 251);
    expect(await channel.transact(CTAPHID.PING, ping)).toEqual(ping); // 500 bytes: 9 reports each way
    await channel.close();
  });

  it('keepalive then answer: shows "touch your key" once, then the reply arrives', async () => {
    const { provider } = keyWith({ touchFor: [0x0a], touchKeepalives: 5, processingKeepalives: 2 });
    const [store] = await provider.stores();
    const progress: string[] = [];
    const list = await store!.list({ pin: PIN, onProgress: (m) => progress.push(m) });
    expect(list).toHaveLength(3);
    expect(progress.filter((m) => /Touch your security key/.test(m)).length).toBeGreaterThanOrEqual(1);
  });

  it('cancel while the key waits for a touch: CANCEL goes out, the key answers 0x2D, USER_CANCELLED', async () => {
    const { provider, key } = keyWith({ touchFor: [0x0a], touchKeepalives: 100 });
    const [store] = await provider.stores();
    const abort = new AbortController();
    const run = store!.list({ pin: PIN, signal: abort.signal, onProgress: () => abort.abort() });
    await expect(run).rejects.toMatchObject({ code: 'USER_CANCELLED' });
    expect(key.written.some((r) => r[4] === (0x80 | CTAPHID.CANCEL))).toBe(true);
  });

  it('a key that stops answering gives DEVICE_TIMEOUT with what was expected', async () => {
    const { provider, key } = keyWith({}, { stall: true });
    const [store] = await provider.stores();
    await expect(store!.list({ pin: PIN })).rejects.toMatchObject({
      code: 'DEVICE_TIMEOUT',
      message: expect.stringMatching(/expected a reply or a keepalive/),
    });
    expect(key.written.some((r) => r[4] === (0x80 | CTAPHID.CANCEL))).toBe(true);
  });

  it('removal in the middle of enumeration gives DEVICE_REMOVED, and a replugged key works', async () => {
    const { provider, key } = keyWith({}, {}, 6);
    const [store] = await provider.stores();
    let nexts = 0;
    key.device.authenticator.onCommand = (cmd, sub) => {
      if (cmd === 0x0a && sub === 0x05 && ++nexts === 1) key.unplug();
    };
    await expect(store!.list({ pin: PIN })).rejects.toMatchObject({
      code: 'DEVICE_REMOVED',
      message: expect.stringMatching(/unplugged/),
    });
    expect(await provider.stores()).toHaveLength(0);
    key.replug();
    expect(await store!.list({ pin: PIN })).toHaveLength(6);
  });

  it('another program busy on the key: CHANNEL_BUSY becomes STORE_LOCKED with words', async () => {
    const { provider, hid, state } = keyWith({ touchFor: [0x0a], touchKeepalives: 80 });
    const [store] = await provider.stores();
    let touching!: () => void;
    const waiting = new Promise<void>((r) => (touching = r));
    const first = store!.list({ pin: PIN, onProgress: () => touching() });
    await waiting;
    // "Another program": a second provider, i.e. a separate handle and channel on the same key.
    const [other] = await createSecurityKeyProvider({ hid, hidOptions: FAST }).stores();
    await expect(other!.describe()).rejects.toMatchObject({
      code: 'STORE_LOCKED',
      message: expect.stringMatching(/Another program/),
    });
    expect(await other!.info()).toMatchObject({
      status: 'locked',
      reason: expect.stringMatching(/Another program/),
    });
    state.touchKeepalives = 0; // the rest of the first list need not wait
    expect(await first).toHaveLength(3);
  });

  it('a U2F-only key says there is nothing to manage', async () => {
    const { provider } = keyWith({}, { u2fOnly: true });
    const [store] = await provider.stores();
    await expect(store!.list({ pin: PIN })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/U2F/),
    });
  });

  it('an open that fails surfaces the backend’s typed error', async () => {
    const hid: HidBackend = {
      enumerate: async () => [
        { path: 'x', vendorId: 1, productId: 2, manufacturer: null, product: 'K', serialNumber: null },
      ],
      open: async () => {
        const { PasskeyDeskError } = await import('../../src/shared/errors');
        throw new PasskeyDeskError('NEEDS_ADMIN', 'run as administrator');
      },
    };
    const [store] = await createSecurityKeyProvider({ hid }).stores();
    await expect(store!.list({ pin: PIN })).rejects.toMatchObject({ code: 'NEEDS_ADMIN' });
  });
});

describe('CTAPHID errors from the key', () => {
  it('INVALID_CHANNEL (the key restarted and forgot our channel) becomes DEVICE_REMOVED', async () => {
    const state = newKeyState();
    const hid = new MemoryHidBackend();
    const key = hid.add(state);
    const conn = await hid.open(key.info.path);
    const channel = await CtapHidChannel.open(conn, FAST);
    // Forge a channel the key never allocated: the key must answer CTAPHID_ERROR 0x0B.
    (channel.info as { cid: number }).cid = 0x0badc0de;
    await expect(channel.transact(CTAPHID.CBOR, Uint8Array.of(0x04))).rejects.toMatchObject({
      code: 'DEVICE_REMOVED',
      details: { ctaphidError: 0x0b },
    });
    await channel.close();
  });
});
