import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSoftKeyServer } from '../helpers/soft-ctap/socket-server';
import type { SoftKeyServer } from '../helpers/soft-ctap/socket-server';
import { newKeyState, seedCredential } from '../helpers/soft-ctap/state';
import type { SoftKeyState } from '../helpers/soft-ctap/state';
import type { Passkey } from '../../src/shared/model';
import { buildCli, runCli } from '../helpers/cli';

// The CLI's own entry (from source, through tsx): every command as main.ts runs it, credential IDs that start
// with '-' included (one random simulated-key ID in 64 does; a partial entry without main.ts's handling of them
// failed this file that often).
const ENTRY = join(import.meta.dirname, '../../src/cli/main.ts');
const PIN = '123456';
let server: SoftKeyServer;
let state: SoftKeyState;
let home: string;

function cli(
  args: string[],
  stdin = '',
  keyAddress = server.address,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
      env: { ...process.env, PASSKEY_DESK_FAKE_SECURITY_KEY: keyAddress, PASSKEY_DESK_HOME: home },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'pkd-keys-cli-'));
  state = newKeyState({ maxSlots: 10 });
  seedCredential(state, { rpId: 'example.com', userName: 'alice@example.com', userDisplayName: 'Alice' });
  seedCredential(state, { rpId: 'example.com', userName: 'bob@example.com', userDisplayName: 'Bob' });
  seedCredential(state, { rpId: 'github.com', userName: 'carol', userDisplayName: 'Carol' });
  // Alice's ID starts with '-' (still 48 bytes of base64url): rename must take it as an ID, not an option.
  const alice = state.credentials[0]!;
  alice.credentialId = `-${alice.credentialId.slice(1)}`;
  server = await startSoftKeyServer(state);
});
afterAll(async () => server.close());

describe('passkey-desk keys (as a process, against the simulated key)', () => {
  it('keys list shows the product, CTAP versions, PIN tries and free slots without a PIN', async () => {
    const r = await cli(['keys', 'list']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/YubiKey 5 Series with NFC/);
    expect(r.stdout).toMatch(/FIDO_2_0 FIDO_2_1_PRE FIDO_2_1/);
    expect(r.stdout).toMatch(/set, 8 tries/);
    const json = JSON.parse((await cli(['keys', 'list', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(json[0]).toMatchObject({
      aaguid: 'fa2b99dc-9e39-4257-8f92-4a30d23c4118',
      remainingSlots: 7,
      pinRetries: 8,
    });
  });

  it('keys list with a simulated key that is not running says where it looked and how to start it', async () => {
    // A port that was just free: nothing answers there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const r = await cli(['keys', 'list'], '', `127.0.0.1:${port}`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `No FIDO security key is plugged in: no simulated key answers at 127.0.0.1:${port}`,
    );
    expect(r.stderr).toContain('test/helpers/soft-ctap/serve.ts');
  });

  it('stores delete on a security key points to the keys command that asks for the PIN, and that works', async () => {
    const storeId = (JSON.parse((await cli(['keys', 'list', '--json'])).stdout) as { id: string }[])[0]!.id;
    // A passkey of its own (the other tests count the seeded ones); its ID never starts with '-' here.
    const target = seedCredential(state, {
      rpId: 'delete-me.example',
      userName: 'dan',
      userDisplayName: 'Dan',
      credentialIdLength: 32,
    }).credentialId.replace(/^-/, 'A');
    state.credentials.at(-1)!.credentialId = target;
    const r = await cli(['stores', 'delete', storeId, target, '--yes']);
    expect(r.code).toBe(1);
    const command = /run `passkey-desk (keys delete [^`]+)`/.exec(r.stderr)?.[1];
    expect(command, r.stderr).toBe(`keys delete ${target} --key ${storeId} --yes`);
    const followed = await cli([...command!.split(' '), '--pin-stdin'], `${PIN}\n`);
    expect(followed.code, followed.stderr).toBe(0);
    expect(state.credentials.some((c) => c.credentialId === target)).toBe(false);
  });

  it('keys credentials groups by site, with the PIN from stdin; --json gives key facts and passkeys', async () => {
    const r = await cli(['keys', 'credentials', '--pin-stdin'], `${PIN}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/example\.com \(2\)[\s\S]*alice@example\.com[\s\S]*github\.com \(1\)/);
    expect(r.stderr).toMatch(/3 passkeys, 7 free slots/);
    expect(r.stderr + r.stdout).not.toContain(PIN);
    const j = JSON.parse(
      (await cli(['keys', 'credentials', '--pin-stdin', '--json'], `${PIN}\n`)).stdout,
    ) as { key: Record<string, unknown>; passkeys: unknown[] };
    expect(j.key).toMatchObject({ existingCredentials: 3, remainingSlots: 7 });
    expect(j.passkeys).toHaveLength(3);
  });

  it('a wrong PIN exits 1 with the tries left; no terminal and no --pin-stdin, or an empty PIN, exit 2 clearly', async () => {
    const r = await cli(['keys', 'credentials', '--pin-stdin'], '000000\n');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/Wrong PIN.*7 tries left/);
    expect(r.stderr).not.toMatch(/at .*\.ts:/); // no stack trace
    // No PIN given is how the command was run (exit 2), not a refusal by the key; no attempt is used.
    const noTty = await cli(['keys', 'credentials']);
    expect(noTty.code, noTty.stderr).toBe(2);
    expect(noTty.stderr).toMatch(/--pin-stdin/);
    const empty = await cli(['keys', 'credentials', '--pin-stdin'], '\n');
    expect(empty.code, empty.stderr).toBe(2);
    expect(empty.stderr).toContain(
      'No PIN was entered (the first line on stdin was empty); no attempt was used. Put the PIN on the first line of stdin.',
    );
    expect(state.pinRetries).toBe(7);
  });

  it('keys delete needs --yes, then journals and deletes; keys rename corrects the names', async () => {
    const bob = state.credentials[1]!;
    const refused = await cli(['keys', 'delete', bob.credentialId, '--pin-stdin']);
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toMatch(/cannot be undone/);
    // The command to confirm keeps the options given.
    expect(refused.stderr).toContain(`passkey-desk keys delete ${bob.credentialId} --pin-stdin --yes`);
    const done = await cli(['keys', 'delete', bob.credentialId, '--yes', '--pin-stdin'], `${PIN}\n`);
    expect(done.code, done.stderr).toBe(0);
    expect(state.credentials.map((c) => c.userName)).toEqual(['alice@example.com', 'carol']);
    const journal = readFileSync(join(home, 'journal.jsonl'), 'utf8');
    expect(journal).toMatch(/"action":"store.delete"/);
    expect(journal).toContain(bob.credentialId);
    expect(journal).not.toContain(PIN);
    const alice = state.credentials[0]!;
    const renamed = await cli(
      ['keys', 'rename', alice.credentialId, '--user-name', 'alice@new.example', '--pin-stdin', '--json'],
      `${PIN}\n`,
    );
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(JSON.parse(renamed.stdout)).toMatchObject({
      userName: 'alice@new.example',
      userDisplayName: 'Alice',
    });
    expect(state.credentials[0]!.userName).toBe('alice@new.example');
    const missing = await cli(['keys', 'delete', bob.credentialId, '--yes', '--pin-stdin'], `${PIN}\n`);
    expect(missing.code, missing.stderr).toBe(3);
  });
});

describe('passkey-desk keys credentials and inventory: what the tables and hints say', () => {
  it('keys credentials lines each site table up: every title sits over its column', async () => {
    const r = await cli(['keys', 'credentials', '--pin-stdin'], `${PIN}\n`);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(
      (await cli(['keys', 'credentials', '--pin-stdin', '--json'], `${PIN}\n`)).stdout,
    ) as { passkeys: Passkey[] };
    expect(j.passkeys.length).toBeGreaterThan(0);
    const lines = r.stdout.split('\n');
    for (const p of j.passkeys) {
      const at = lines.findIndex((l) => l.includes(p.credentialId));
      const row = lines[at]!;
      const titles = lines
        .slice(0, at)
        .reverse()
        .find((l) => l.includes('CREDENTIAL ID'))!;
      const user = row.indexOf(p.userName!);
      expect(titles.indexOf('USER'), `${titles}\n${row}`).toBe(user);
      expect(titles.indexOf('DISPLAY NAME'), `${titles}\n${row}`).toBe(
        row.indexOf(p.userDisplayName!, user + p.userName!.length),
      );
      expect(titles.indexOf('CREDENTIAL ID'), `${titles}\n${row}`).toBe(row.indexOf(p.credentialId));
    }
  });

  it('inventory names a key that needs its PIN with the keys command that reads it, and that command works', async () => {
    buildCli();
    const env = { ...process.env, PASSKEY_DESK_FAKE_SECURITY_KEY: server.address, PASSKEY_DESK_HOME: home };
    const r = await runCli(['inventory'], env);
    expect(r.code, r.stderr).toBe(0);
    const line = r.stderr.split('\n').find((l) => l.startsWith('• YubiKey 5 Series with NFC: needs-pin'));
    expect(line, r.stderr).toBeDefined();
    const command = /run `passkey-desk (keys credentials [^`]+)` and enter the PIN/.exec(line!)?.[1];
    expect(command, line).toBeDefined();
    const followed = await runCli([...command!.split(' '), '--pin-stdin'], env, `${PIN}\n`);
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout).toContain('github.com');
  });
});
