/**
 * What `keys` says about a key's state before it asks for anything: a key that stopped taking PINs until it is
 * replugged says so in `keys list`, and a key that cannot rename refuses before asking for its PIN.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../helpers/cli';
import { startSoftKeyServer } from '../helpers/soft-ctap/socket-server';
import type { SoftKeyServer } from '../helpers/soft-ctap/socket-server';
import { newKeyState, seedCredential } from '../helpers/soft-ctap/state';
import type { SoftKeyState } from '../helpers/soft-ctap/state';

let server: SoftKeyServer | null = null;
beforeAll(() => buildCli());
afterEach(async () => {
  await server?.close();
  server = null;
});

async function keyCli(state: SoftKeyState) {
  server = await startSoftKeyServer(state);
  const env = {
    ...process.env,
    PASSKEY_DESK_FAKE_SECURITY_KEY: server.address,
    PASSKEY_DESK_HOME: mkdtempSync(join(tmpdir(), 'pkd-keys-state-')),
  };
  return (args: string[], stdin?: string) => runCli(args, env, stdin);
}

describe('keys: the key state, before asking for anything', () => {
  it('after three wrong PINs in a row, keys list says to replug the key', async () => {
    const state = newKeyState();
    seedCredential(state, { rpId: 'example.com', userName: 'ana', userDisplayName: 'Ana' });
    const cli = await keyCli(state);
    for (let i = 0; i < 3; i++)
      expect((await cli(['keys', 'credentials', '--pin-stdin'], '000000\n')).code).not.toBe(0);
    const listed = await cli(['keys', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('unplug and replug it first');
  });

  it('a CTAP 2.1-PRE key refuses a rename before asking for its PIN', async () => {
    const state = newKeyState({ mode: '2.1-pre' });
    const cred = seedCredential(state, { rpId: 'example.com', userName: 'ana', userDisplayName: 'Ana' });
    const cli = await keyCli(state);
    // No PIN on stdin and no terminal: had it asked, it would say so; it refuses for the real reason instead.
    const r = await cli(['keys', 'rename', cred.credentialId.replace(/^-/, 'A'), '--user-name', 'bo']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot rename passkeys');
    expect(r.stderr).not.toMatch(/PIN/);
  });
});
