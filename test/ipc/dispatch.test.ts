import { describe, expect, it } from 'vitest';
import { createDispatch, createSenderCheck } from '../../src/main/ipc/dispatch';
import type { SenderInfo } from '../../src/main/ipc/dispatch';
import { PasskeyDeskError } from '../../src/shared/errors';
import { recordingHandlers } from './fake-handlers';

const OURS = 7;
const good: SenderInfo = {
  webContentsId: OURS,
  frameUrl: 'app://passkey-desk/index.html',
  isMainFrame: true,
};
const CRED = 'q1w2e3r4t5y6u7i8o9p0';

function setup(overrides: Parameters<typeof recordingHandlers>[0] = {}) {
  const { handlers, calls } = recordingHandlers(overrides);
  const dispatch = createDispatch({ handlers, isTrustedSender: createSenderCheck(new Set([OURS])) });
  return { dispatch, calls };
}

describe('IPC dispatch: sender, then payload, then work', () => {
  it('passes a valid request from our window to the handler and wraps the value', async () => {
    const { dispatch, calls } = setup();
    const result = await dispatch('vault.rename', good, { credentialId: CRED, nickname: 'Work laptop' });
    expect(result).toEqual({
      ok: true,
      value: { channel: 'vault.rename', request: { credentialId: CRED, nickname: 'Work laptop' } },
    });
    expect(calls).toHaveLength(1);
  });

  it('hands the handler the parsed request, not the raw payload (defaults applied, nothing extra)', async () => {
    const { dispatch, calls } = setup();
    await dispatch('app.info', good, undefined);
    expect(calls[0]?.request).toEqual({});
  });

  const foreign: [string, SenderInfo][] = [
    ['a webContents we did not create', { ...good, webContentsId: 99 }],
    ['our window showing a file:// page', { ...good, frameUrl: 'file:///home/user/evil.html' }],
    ['our window showing https://evil.example', { ...good, frameUrl: 'https://evil.example/' }],
    ['our window showing another app: host', { ...good, frameUrl: 'app://other-app/index.html' }],
    ['our origin with a port', { ...good, frameUrl: 'app://passkey-desk:8080/index.html' }],
    ['our origin with credentials', { ...good, frameUrl: 'app://user:pw@passkey-desk/index.html' }],
    ['a look-alike host', { ...good, frameUrl: 'app://passkey-desk.evil.example/index.html' }],
    ['http with our host name', { ...good, frameUrl: 'http://passkey-desk/index.html' }],
    ['a frame that is gone', { ...good, frameUrl: null }],
    ['a sub-frame of our page', { ...good, isMainFrame: false }],
    ['an unparsable URL', { ...good, frameUrl: 'not a url' }],
  ];
  it.each(foreign)('refuses %s with FORBIDDEN_SENDER and never calls a handler', async (_label, sender) => {
    const { dispatch, calls } = setup();
    const result = await dispatch('vault.delete', sender, { credentialId: CRED });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('FORBIDDEN_SENDER');
      expect(result.error.message).toMatch(/^Refused "vault.delete": /);
    }
    expect(calls).toHaveLength(0);
  });

  it('checks the sender before the channel name, so a foreign sender learns nothing about channels', async () => {
    const { dispatch } = setup();
    const result = await dispatch('no.such', { ...good, webContentsId: 1 }, {});
    expect(result.ok || result.error.code).toBe('FORBIDDEN_SENDER');
  });

  const badPayloads: [string, string, unknown][] = [
    ['a missing field', 'vault.delete', {}],
    ['a wrong type', 'vault.delete', { credentialId: 42 }],
    ['an extra field (schemas are strict)', 'vault.delete', { credentialId: CRED, force: true }],
    ['a non-base64url credential ID', 'vault.delete', { credentialId: '../../etc/passwd' }],
    ['a string instead of an object', 'vault.rename', 'rename everything'],
    ['an array', 'vault.create', [1, 2, 3]],
    ['purge without confirm: true', 'vault.purge', { credentialId: CRED, confirm: 'yes' }],
    [
      'a prototype-pollution attempt',
      'vault.create',
      JSON.parse('{"rpId":"example.com","userName":"a","__proto__":{"admin":true}}'),
    ],
  ];
  it.each(badPayloads)(
    'refuses %s with INVALID_INPUT and never calls the handler',
    async (_label, channel, payload) => {
      const { dispatch, calls } = setup();
      const result = await dispatch(channel, good, payload);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('INVALID_INPUT');
        expect(result.error.message).toContain(channel);
        expect(result.error.details?.problems).toBeInstanceOf(Array);
      }
      expect(calls).toHaveLength(0);
    },
  );

  it('refuses an unknown channel from our own window with INVALID_INPUT', async () => {
    const { dispatch, calls } = setup();
    const result = await dispatch('vault.exportPrivateKeys', good, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!result.ok) expect(result.error.message).toContain('"vault.exportPrivateKeys"');
    expect(calls).toHaveLength(0);
  });

  it('keeps an oversized channel name out of the message', async () => {
    const { dispatch } = setup();
    const result = await dispatch('x'.repeat(10_000), good, {});
    expect(!result.ok && result.error.message.length).toBeLessThan(300);
  });

  it('returns a PasskeyDeskError as data with its code, message and details, and no stack', async () => {
    const { dispatch } = setup({
      'vault.delete': async () => {
        throw new PasskeyDeskError('STORE_LOCKED', 'The vault is locked by another Passkey Desk process.', {
          lockFile: 'vault.lock',
          retryInMs: 500,
        });
      },
    });
    const result = await dispatch('vault.delete', good, { credentialId: CRED });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'STORE_LOCKED',
        message: 'The vault is locked by another Passkey Desk process.',
        details: { lockFile: 'vault.lock', retryInMs: 500 },
      },
    });
    expect(JSON.stringify(result)).not.toMatch(/stack|at .*\.ts/);
  });

  it('maps any other error to INTERNAL with its message and no stack', async () => {
    const { dispatch } = setup({
      'inventory.get': async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'list')");
      },
    });
    const result = await dispatch('inventory.get', good, {});
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'INTERNAL',
        message: "Unexpected error: Cannot read properties of undefined (reading 'list')",
      },
    });
    expect(result.ok || 'stack' in result.error).toBe(false);
  });

  it('maps a thrown non-Error value to INTERNAL', async () => {
    const { dispatch } = setup({
      'journal.list': async () => {
        // Deliberately not an Error: some native bindings reject with plain values.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw 'EBUSY';
      },
    });
    expect(await dispatch('journal.list', good, {})).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Unexpected error: EBUSY' },
    });
  });

  it('follows the set of our windows as it changes (a closed window stops being trusted)', async () => {
    const ours = new Set([OURS]);
    const { handlers } = recordingHandlers();
    const dispatch = createDispatch({ handlers, isTrustedSender: createSenderCheck(ours) });
    expect((await dispatch('app.info', good, {})).ok).toBe(true);
    ours.delete(OURS);
    expect(await dispatch('app.info', good, {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
  });
});
