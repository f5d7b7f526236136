import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Passkey } from '../../src/shared/model';
import { shortId } from '../../src/shared/model';
import { buildCli, runCli } from '../helpers/cli';
import { buildFakeWebauthn, writeFakeWebauthnScenario } from '../helpers/fake-webauthn';
import { startPolkitModel } from '../helpers/polkit';
import type { PolkitModel } from '../helpers/polkit';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/imports/${name}`, import.meta.url));

describe('passkey-desk CLI as a real process (real keyring, real pkcheck, webauthn.dll stand-in)', () => {
  let polkit: PolkitModel;
  let env: NodeJS.ProcessEnv;
  let home: string;
  beforeAll(async () => {
    buildCli();
    polkit = await startPolkitModel();
    await polkit.allow();
    home = await mkdtemp(join(tmpdir(), 'pkd-cli-'));
    env = { ...process.env, ...polkit.env, PASSKEY_DESK_HOME: home };
  });
  afterAll(async () => polkit.stop());

  const inventory = async (extra: NodeJS.ProcessEnv = {}) => {
    const r = await runCli(['inventory', '--json'], { ...env, ...extra });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Passkey[];
  };

  it('creates, lists, renames, trashes, restores and purges vault passkeys', async () => {
    const created = await runCli(
      ['vault', 'create', '--rp-id', 'example.com', '--user', 'alice', '--json'],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const passkey = JSON.parse(created.stdout) as Passkey;
    expect(passkey).toMatchObject({ store: 'vault', rpId: 'example.com', userName: 'alice' });

    const listed = await inventory();
    const row = listed.find((p) => p.credentialId === passkey.credentialId);
    expect(row).toMatchObject({ store: 'vault', rpId: 'example.com', userName: 'alice' });
    expect(row?.userHandle).toMatch(/^[A-Za-z0-9_-]+$/);

    // --rp-id compares as domain names do, and says what it looked for.
    const bySite = await runCli(['inventory', '--rp-id', 'EXAMPLE.COM.', '--json'], env);
    expect((JSON.parse(bySite.stdout) as { credentialId: string }[]).map((p) => p.credentialId)).toContain(
      passkey.credentialId,
    );
    expect((await runCli(['inventory', '--rp-id', 'nothing.example'], env)).stderr).toContain(
      'No passkeys for nothing.example',
    );
    const badSite = await runCli(['inventory', '--rp-id', 'Bad Site'], env);
    expect(badSite.code).toBe(2);
    expect(badSite.stderr).toContain('--rp-id "Bad Site" is not a site\'s domain name');

    expect((await runCli(['vault', 'rename', passkey.credentialId, 'Laptop'], env)).code).toBe(0);
    const table = await runCli(['inventory'], env);
    expect(table.stdout).toContain('example.com');
    expect(table.stdout).toContain('Laptop');

    const del = await runCli(['vault', 'delete', passkey.credentialId], env);
    expect(del.stderr).toContain(`passkey-desk vault restore ${passkey.credentialId}`);
    expect((await inventory()).some((p) => p.credentialId === passkey.credentialId)).toBe(false);
    // Deleting it again points at the trash.
    const twice = await runCli(['vault', 'delete', passkey.credentialId], env);
    expect(twice.code).toBe(3);
    expect(twice.stderr).toContain('(a deleted one is in the trash: passkey-desk vault trash)');
    expect((await runCli(['vault', 'restore', passkey.credentialId], env)).code).toBe(0);
    expect((await inventory()).some((p) => p.credentialId === passkey.credentialId)).toBe(true);
    // Restoring one that is not deleted says where it is.
    const live = await runCli(['vault', 'restore', passkey.credentialId], env);
    expect(live.code).toBe(3);
    expect(live.stderr).toContain('is not in the vault trash: it is in the vault, not deleted');

    await runCli(['vault', 'delete', passkey.credentialId], env);
    const refused = await runCli(['vault', 'purge', passkey.credentialId], env);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('--yes');
    expect((await runCli(['vault', 'purge', passkey.credentialId, '--yes'], env)).code).toBe(0);

    // The text journal names each passkey, shortened.
    expect((await runCli(['journal'], env)).stdout).toMatch(
      new RegExp(`PASSKEY[\\s\\S]*${shortId(passkey.credentialId).replace('…', '.')}`),
    );
    const journal = JSON.parse((await runCli(['journal', '--json'], env)).stdout) as {
      action: string;
      outcome: string;
      undoneBy: string | null;
    }[];
    expect(journal.map((j) => j.action)).toEqual(['vault.purge', 'vault.delete', 'vault.delete']);
    expect(journal.every((j) => j.outcome === 'done')).toBe(true);
    expect(journal[2]!.undoneBy).toBe('vault.restore');
  });

  it('refuses to create a passkey when the user is not verified, without a stack trace', async () => {
    await polkit.deny();
    try {
      const r = await runCli(['vault', 'create', '--rp-id', 'example.org', '--user', 'bob'], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^passkey-desk: polkit did not authorize/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await polkit.allow();
    }
    expect((await inventory()).some((p) => p.rpId === 'example.org')).toBe(false);
  });

  it('shows Windows Hello passkeys when the webauthn.dll stand-in is loaded', async () => {
    const libraryPath = await buildFakeWebauthn();
    const scenario = writeFakeWebauthnScenario({
      credentials: [
        {
          credentialId: new Uint8Array([1, 2, 3, 4]),
          rpId: 'github.com',
          userName: 'ada@example.com',
          userId: new Uint8Array([9, 9]),
          authenticatorName: 'Windows Hello',
        },
        {
          credentialId: new Uint8Array([5, 6, 7, 8]),
          rpId: 'example.com',
          userName: 'ada@example.com',
          userId: new Uint8Array([8, 8]),
          authenticatorName: '1Password',
          removable: false,
        },
      ],
    });
    const hello = { PASSKEY_DESK_WEBAUTHN_LIBRARY: libraryPath, FAKE_WEBAUTHN_SCENARIO: scenario };
    const list = await inventory(hello);
    expect(list.find((p) => p.store === 'windows-hello')).toMatchObject({
      credentialId: 'AQIDBA',
      rpId: 'github.com',
      userName: 'ada@example.com',
      userHandle: 'CQk',
    });
    // One Windows lists but a password manager holds: the refusal says where to delete it instead.
    const refused = await runCli(['stores', 'delete', 'windows-hello', 'BQYHCA', '--yes'], {
      ...env,
      ...hello,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'Windows Hello says the passkey for example.com cannot be removed from here (it is held by 1Password). Open 1Password and delete the passkey there',
    );
  });

  it('shows names with terminal escape sequences, line breaks and bidi overrides escaped, never raw', async () => {
    const fresh = { PASSKEY_DESK_HOME: await mkdtemp(join(tmpdir(), 'pkd-cli-esc-')) };
    const name = 'eve\u001b]0;owned\u0007\u001b[2J\u001b[31mred\nforged row\u202egpj.exe';
    const created = await runCli(['vault', 'create', '--rp-id', 'example.com', '--user', name, '--json'], {
      ...env,
      ...fresh,
    });
    expect(created.code, created.stderr).toBe(0);
    const id = (JSON.parse(created.stdout) as Passkey).credentialId;
    const listed = await runCli(['inventory'], { ...env, ...fresh });
    expect(listed.code, listed.stderr).toBe(0);
    // eslint-disable-next-line no-control-regex -- asserting that no control character got through
    const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    for (const out of [listed.stdout, listed.stderr]) expect(out).not.toMatch(raw);
    expect(listed.stdout).toContain('eve\\u001b]0;owned\\u0007');
    // The line break in the name does not start a table row of its own.
    expect(listed.stdout.split('\n').some((l) => l.startsWith('forged row'))).toBe(false);
    // JSON keeps the name exactly (a JSON reader gets it back), with nothing raw on the terminal.
    const json = await runCli(['inventory', '--json'], { ...env, ...fresh });
    expect(json.stdout).not.toMatch(raw);
    expect((JSON.parse(json.stdout) as Passkey[])[0]!.userName).toBe(name);
    const deleted = await runCli(['vault', 'delete', id], { ...env, ...fresh });
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stderr).not.toMatch(raw);
    expect(deleted.stderr).toContain('eve\\u001b]0;owned\\u0007\\u001b[2J\\u001b[31mred');
    expect(deleted.stderr).toContain('forged row\\u202egpj.exe');
  });

  it('"deleted there" marks: listed with their ids, marked again keeps the id, bad input journals nothing', async () => {
    const fresh = { ...env, PASSKEY_DESK_HOME: await mkdtemp(join(tmpdir(), 'pkd-cli-marks-')) };
    const first = await runCli(['stores', 'mark-deleted', 'guided:apple', 'github.com'], fresh);
    expect(first.code, first.stderr).toBe(0);
    const undo = /stores unmark (\S+)/.exec(first.stderr)?.[1];
    expect(undo, first.stderr).toBeDefined();
    // Marking the same again refreshes the mark: the undo id printed first still works.
    const again = await runCli(['stores', 'mark-deleted', 'guided:apple', 'github.com'], fresh);
    expect(again.stderr).toContain(`stores unmark ${undo}`);
    const listed = await runCli(['stores', 'marks'], fresh);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(undo);
    expect(listed.stdout).toMatch(/guided:apple\s+github\.com\s+every passkey/);
    expect(JSON.parse((await runCli(['stores', 'marks', '--json'], fresh)).stdout)).toEqual([
      expect.objectContaining({ id: undo, store: 'guided:apple', rpId: 'github.com' }),
    ]);
    // Refused input is not a step that failed: nothing about it lands in the journal.
    const before = (await runCli(['journal', '--json'], fresh)).stdout;
    const bad = await runCli(
      ['stores', 'mark-deleted', 'guided:apple', 'github.com', '--user-handle', '!!'],
      fresh,
    );
    expect(bad.code).toBe(2);
    expect((await runCli(['journal', '--json'], fresh)).stdout).toBe(before);
    expect((await runCli(['stores', 'unmark', undo!], fresh)).code).toBe(0);
    expect((await runCli(['stores', 'marks'], fresh)).stderr).toContain('No "deleted there" marks.');
    // The journal tells the mark's story: marked (twice), then withdrawn.
    const journal = JSON.parse((await runCli(['journal', '--json'], fresh)).stdout) as {
      action: string;
      outcome: string;
    }[];
    expect(journal.map((e) => [e.action, e.outcome])).toEqual([
      ['guided.unmark', 'done'],
      ['guided.mark-deleted', 'done'],
      ['guided.mark-deleted', 'done'],
    ]);
  });

  it('imports from a pipe (as import <(…) passes one) and refuses a --limit that is not a count', async () => {
    const fresh = { ...env, PASSKEY_DESK_HOME: await mkdtemp(join(tmpdir(), 'pkd-cli-pipe-')) };
    const fifo = join(fresh.PASSKEY_DESK_HOME, 'export-pipe');
    execFileSync('mkfifo', [fifo]);
    // The writer waits for the CLI to open the pipe, as the shell's process substitution does.
    const [piped] = await Promise.all([
      runCli(['import', fifo], fresh),
      writeFile(fifo, await readFile(fixture('bitwarden.json'), 'utf8')),
    ]);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toMatch(/Imported Bitwarden export \(export-pipe\): 3 passkey\(s\)/);
    // A move reads the file twice, which a pipe cannot give: refused before anything is read.
    const move = await runCli(['import', fifo, '--into-vault'], fresh);
    expect(move.code).toBe(2);
    expect(move.stderr).toContain('--into-vault needs a file Passkey Desk can read twice');
    for (const limit of ['abc', '0', '-1', '2.5']) {
      const r = await runCli(['journal', '--limit', limit], fresh);
      expect(r.code, limit).toBe(2);
      expect(r.stderr).toContain('give a whole number from 1 to 10000');
    }
    expect((await runCli(['journal', '--limit', '5'], fresh)).code).toBe(0);
  });

  it('imports a Bitwarden export as a read-only store and lists the stores', async () => {
    const r = await runCli(['import', fixture('bitwarden.json'), '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { storeId: string; count: number };
    expect(summary.count).toBeGreaterThan(0);
    const list = await inventory();
    expect(list.filter((p) => p.store === summary.storeId)).toHaveLength(summary.count);
    const stores = await runCli(['stores', '--json'], env);
    const infos = JSON.parse(stores.stdout) as { id: string; status: string }[];
    expect(infos.find((s) => s.id === summary.storeId)?.status).toBe('available');
    expect(infos.find((s) => s.id === 'guided:apple')?.status).toBe('unavailable');
    const bad = await runCli(['import', fixture('bitwarden-encrypted.json')], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bitwarden-encrypted.json');
    // Deleting from an export says where the passkey really is, and how to drop the import.
    const one = list.find((p) => p.store === summary.storeId)!;
    const readOnly = await runCli(['stores', 'delete', summary.storeId, one.credentialId, '--yes'], env);
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toContain('delete the passkey in the password manager it came from');
    expect(readOnly.stderr).toContain(`passkey-desk stores forget ${summary.storeId}`);
    // An ID the vault does not hold points at the trash and the inventory.
    const unknown = await runCli(['vault', 'delete', 'AAAAAAAAAAAAAAAAAAAAAA'], env);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/passkey-desk vault trash.*passkey-desk inventory/);
  });

  it('says what is wrong, with exit codes, for bad input and broken environments', async () => {
    const usage = await runCli(['vault', 'create', '--rp-id', 'Not A Domain', '--user', 'x'], env);
    expect(usage.code).toBe(2);
    // Worded for the command line: the option, not the contract's channel and field names.
    expect(usage.stderr).toMatch(/^passkey-desk: Invalid input — --rp-id: .* \(see --help\)\.?\n$/);
    expect(usage.stderr).not.toContain('vault.create');
    const notUrl = await runCli(['accounts', 'add', 'notaurl'], env);
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toBe(
      'passkey-desk: Invalid input — the server address: a server address such as https://example.com (see --help).\n',
    );
    expect((await runCli(['no-such-command'], env)).code).toBe(2);
    expect((await runCli(['vault', 'restore', 'AAAA'], env)).code).toBe(3);
    // An ID that starts with '-' (one in 64) is an ID, not an unknown option or a request for help.
    for (const dashed of ['-koHBwcHBwcHBwcHBwcHBw', '-hoJCQkJCQkJCQkJCQkJCQ', '--ADAwMDAwMDAwMDAwMDAw']) {
      const missing = await runCli(['vault', 'restore', dashed], env);
      expect(missing.code, missing.stderr).toBe(3);
      expect(missing.stderr).toContain(dashed);
    }
    // Where the parser itself complains, it names the ID as typed.
    const misplaced = await runCli(['-koHBwcHBwcHBwcHBwcHBw'], env);
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toContain("unknown command '-koHBwcHBwcHBwcHBwcHBw'");

    const noBus = {
      ...env,
      DBUS_SESSION_BUS_ADDRESS: '',
      PASSKEY_DESK_HOME: await mkdtemp(join(tmpdir(), 'pkd-cli-')),
    };
    const keyring = await runCli(['vault', 'create', '--rp-id', 'example.com', '--user', 'x'], noBus);
    expect(keyring.code).toBe(5);
    expect(keyring.stderr).toContain('Secret Service');

    // A data folder that is a file is the user's to fix (exit 5, the path and what to do), not "a bug".
    const aFile = join(await mkdtemp(join(tmpdir(), 'pkd-cli-')), 'not-a-folder');
    await writeFile(aFile, 'x');
    const notDir = await runCli(['vault', 'create', '--rp-id', 'example.com', '--user', 'x'], {
      ...env,
      PASSKEY_DESK_HOME: aFile,
    });
    expect(notDir.code, notDir.stderr).toBe(5);
    expect(notDir.stderr).toContain(`${aFile}/vault.json: a folder above it is a file`);
    expect(notDir.stderr).not.toContain('bug');

    const broken = await mkdtemp(join(tmpdir(), 'pkd-cli-'));
    await writeFile(join(broken, 'vault.json'), '{ not json');
    const corrupt = await runCli(['vault', 'create', '--rp-id', 'example.com', '--user', 'x'], {
      ...env,
      PASSKEY_DESK_HOME: broken,
    });
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toContain(join(broken, 'vault.json'));
    expect(await readFile(join(broken, 'vault.json'), 'utf8')).toBe('{ not json');
    // The inventory lists what it can, names the vault it could not read, and exits 5, in JSON mode too.
    const inv = await runCli(['inventory'], { ...env, PASSKEY_DESK_HOME: broken });
    expect(inv.code).toBe(5);
    expect(inv.stderr).toContain('damaged');
    const invJson = await runCli(['inventory', '--json'], { ...env, PASSKEY_DESK_HOME: broken });
    expect(invJson.code).toBe(5);
    expect(JSON.parse(invJson.stdout)).toEqual([]);
    expect(invJson.stderr).toContain('could not be read, so its passkeys are not listed');
    expect(invJson.stderr).toContain('damaged');
  });

  it('import --into-vault names every passkey the vault cannot hold, with its reason, exits 1 and still moves the rest', async () => {
    const fresh = { PASSKEY_DESK_HOME: await mkdtemp(join(tmpdir(), 'pkd-cli-')) };
    type Outcome = { credentialId: string; ok: boolean; code?: string; message?: string };
    type Summary = { notMovable: { credentialId: string }[]; moved: Outcome[] };
    for (const [file, algorithm] of [
      ['keepassxc-eddsa.passkey', 'EdDSA (Ed25519)'],
      ['keepassxc-rs256.passkey', 'RS256 (RSA)'],
    ] as const) {
      const r = await runCli(['import', fixture(file), '--into-vault'], { ...env, ...fresh });
      expect(r.code, r.stderr).toBe(1);
      const refused = r.stderr.split('\n').filter((l) => l.startsWith('Not moved '));
      expect(refused, r.stderr).toHaveLength(1);
      expect(refused[0]).toContain(`it uses ${algorithm}, and the vault signs with ES256 only`);
      const j = await runCli(['import', fixture(file), '--into-vault', '--json'], { ...env, ...fresh });
      expect(j.code, j.stderr).toBe(1);
      const summary = JSON.parse(j.stdout) as Summary;
      expect(summary.moved).toEqual([
        expect.objectContaining({
          credentialId: summary.notMovable[0]!.credentialId,
          ok: false,
          code: 'UNSUPPORTED_ALGORITHM',
        }),
      ]);
      // The same refusal, the same exit code, as naming the passkey with --only.
      const only = await runCli(
        ['import', fixture(file), '--into-vault', '--only', summary.notMovable[0]!.credentialId],
        { ...env, ...fresh },
      );
      expect(only.code).toBe(1);
      expect(only.stderr).toContain(refused[0]);
    }
    expect((await inventory(fresh)).filter((p) => p.store === 'vault')).toEqual([]);

    // A file with one ES256 and one P-384 passkey: the first moves, the second is named, and the exit is 1.
    const mixed = await runCli(['import', fixture('cxf.json'), '--into-vault'], { ...env, ...fresh });
    expect(mixed.code, mixed.stderr).toBe(1);
    const moved = /^Moved (\S+) into the vault\.$/m.exec(mixed.stderr)?.[1];
    const notMoved = /^Not moved (\S+): .*P-384/m.exec(mixed.stderr)?.[1];
    expect(moved, mixed.stderr).toBeDefined();
    expect(notMoved, mixed.stderr).toBeDefined();
    const vault = (await inventory(fresh)).filter((p) => p.store === 'vault').map((p) => p.credentialId);
    expect(vault).toEqual([moved]);
  });

  it('prints help for every command', async () => {
    for (const args of [
      ['--help'],
      ['vault', '--help'],
      ['vault', 'create', '--help'],
      ['inventory', '--help'],
      ['import', '--help'],
      ['stores', '--help'],
      ['keys', '--help'],
      ['journal', '--help'],
    ]) {
      const r = await runCli(args, env);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: passkey-desk');
    }
  });
});
