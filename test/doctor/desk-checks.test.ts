/**
 * Passkey Desk's own requirements, checked for real: the vault file on disk, the real keyring (gnome-keyring in
 * the test session; a client with no session bus, or a bus address that leads nowhere), real pkcheck against the
 * polkit model (and against no polkit at all), with the account on the real reference server. Every check only
 * reads: the vault file and the keyring are compared before and after.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keyringFindings } from '../../src/main/doctor';
import { createDoctor } from '../../src/main/features/doctor';
import { readInventory } from '../../src/main/inventory';
import { createOsSecretStore } from '../../src/main/keyring';
import type { SecretStore } from '../../src/main/keyring';
import { createPolkitVerifier } from '../../src/main/verify/polkit';
import type { UserVerifier } from '../../src/main/verify/user-verifier';
import type { DoctorRun, Finding, MessageKey } from '../../src/shared/doctor';
import { withProviderName } from '../../src/shared/providers';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import type { PolkitModel } from '../helpers/polkit';
import { startPolkitModel } from '../helpers/polkit';
import { TestVerifier } from '../helpers/test-verifier';
import type { Desk } from './desk';
import { makeDesk } from './desk';

let server: RunningServer;
let desk: Desk;
beforeEach(async () => {
  server = await startServer({ port: 0 });
  desk = await makeDesk({ platform: 'linux' });
});
afterEach(async () => server.close());

/** No BlueZ to ask in these runs: the system bus is one that does not exist. */
const NO_SYSTEM_BUS = 'unix:path=/nonexistent/system_bus_socket';

function doctor(o: { secrets?: SecretStore | null; verifier?: UserVerifier; env?: NodeJS.ProcessEnv } = {}) {
  const s = desk.services;
  return createDoctor({
    platform: 'linux',
    inventory: () => readInventory(s.registry, withProviderName, () => new Date()),
    marks: s.marks,
    journal: s.journal,
    vault: s.vault,
    stores: [],
    verifier: o.verifier ?? new TestVerifier(),
    secrets: o.secrets === undefined ? s.config.secrets! : o.secrets,
    appVersion: 'test',
    accounts: s.accounts,
    env: o.env ?? { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: NO_SYSTEM_BUS },
  });
}

const vaultFile = () => join(desk.dataDir, 'vault.json');
const byCheck = (run: DoctorRun, check: Finding['check']) => run.findings.filter((f) => f.check === check);
const one = (run: DoctorRun, check: Finding['check']): Finding => {
  const found = byCheck(run, check);
  expect(found, run.report).toHaveLength(1);
  return found[0]!;
};
const steps = (f: Finding) => (f.fix?.kind === 'steps' ? f.fix.steps.join('\n') : '');

async function run(accountId: string | undefined, message: MessageKey, d = doctor()) {
  return d.run({ ...(accountId ? { accountId } : {}), message });
}

describe("Passkey Desk's own requirements", () => {
  it('all in order: vault file, keyring and vault key are ok, and nothing is written', async () => {
    const account = await desk.signUp(server, 'ana');
    const before = await readFile(vaultFile(), 'utf8');
    const r = await run(account.id, 'no-longer-usable');
    expect(one(r, 'vault-file')).toMatchObject({ verdict: 'ok', title: 'The vault file can be read' });
    expect(one(r, 'keyring')).toMatchObject({ verdict: 'ok', title: 'The keyring answers' });
    expect(one(r, 'vault-key')).toMatchObject({ verdict: 'ok', title: 'The vault key is in the keyring' });
    expect(r.checked.map((c) => c.id)).toEqual(
      expect.arrayContaining(['vault-file', 'keyring', 'vault-key', 'user-verification']),
    );
    expect(await readFile(vaultFile(), 'utf8')).toBe(before);
  });

  it('no vault yet: nothing to complain about, and the doctor makes neither the file nor a key', async () => {
    const r = await run(undefined, 'new-device');
    expect(one(r, 'vault-file')).toMatchObject({ verdict: 'ok', title: 'No vault yet' });
    expect(one(r, 'keyring').verdict).toBe('ok');
    expect(byCheck(r, 'vault-key')).toEqual([]);
    await expect(readFile(vaultFile())).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await desk.services.config.secrets!.get('vault-key:passkey-desk-doctor-probe')).toBeNull();
  });

  it('a damaged vault.json: the first finding, with the fix and without the data folder', async () => {
    const account = await desk.signUp(server, 'ana');
    await writeFile(vaultFile(), '{"format": "passkey-desk-vault", "version": 1, "keyId": ');
    const r = await run(account.id, 'no-longer-usable');
    const f = one(r, 'vault-file');
    expect(f).toMatchObject({ verdict: 'problem', title: 'The vault file is damaged' });
    expect(f.explanation).toContain('The vault file vault.json is damaged: it is not valid JSON');
    expect(steps(f)).toContain(
      "Put back a good copy of vault.json from your backup into Passkey Desk's data folder",
    );
    expect(steps(f)).toContain('rename the damaged file (for example to vault.json.damaged)');
    expect(r.top).toMatchObject({ id: 'vault-file' });
    expect(one(r, 'vault-key')).toMatchObject({ verdict: 'unknown' });
    expect(one(r, 'store-reach').verdict).not.toBe('problem');
    // The account is still compared (the vault counts as unreadable, so nothing of it is called gone).
    expect(byCheck(r, 'passkey-status').map((x) => x.title)).not.toContain(
      "The account's passkeys could not be read",
    );
    expect(r.report).not.toContain(desk.dataDir);
    expect(JSON.stringify(r)).not.toContain(desk.dataDir);
    expect(await readFile(vaultFile(), 'utf8')).toBe(
      '{"format": "passkey-desk-vault", "version": 1, "keyId": ',
    );
  });

  it('a vault.json from a newer Passkey Desk: update, and leave the file alone', async () => {
    await desk.signUp(server, 'ana');
    const vault = JSON.parse(await readFile(vaultFile(), 'utf8')) as { version: number };
    await writeFile(vaultFile(), JSON.stringify({ ...vault, version: 99 }));
    const f = one(await run(undefined, 'no-longer-usable'), 'vault-file');
    expect(f).toMatchObject({
      verdict: 'problem',
      title: 'The vault file was written by a newer Passkey Desk',
      fix: { kind: 'steps', label: 'Update Passkey Desk' },
    });
  });

  it('the vault key missing from the keyring (keyId edited): the top finding, and no key is made', async () => {
    const account = await desk.signUp(server, 'ana');
    const vault = JSON.parse(await readFile(vaultFile(), 'utf8')) as { keyId: string };
    const edited = JSON.stringify({ ...vault, keyId: 'editedKeyId0000' });
    await writeFile(vaultFile(), edited);
    const r = await run(account.id, 'no-longer-usable');
    const f = one(r, 'vault-key');
    expect(f).toMatchObject({ verdict: 'problem', title: 'The vault key is missing from the keyring' });
    expect(f.evidence).toContainEqual({
      label: 'Keyring entry',
      value: 'service "Passkey Desk", account "vault-key:editedKeyId0000"',
    });
    expect(f.explanation).toContain('KEY_MISSING');
    expect(steps(f)).toContain('If the keyId in vault.json was edited, put back the one it had');
    expect(r.top).toMatchObject({ id: 'vault-key' });
    expect(one(r, 'keyring').verdict).toBe('ok');
    expect(await desk.services.config.secrets!.get('vault-key:editedKeyId0000')).toBeNull();
    expect(await readFile(vaultFile(), 'utf8')).toBe(edited);
    // What the finding says is what using the vault says.
    await expect(desk.addVaultPasskey(account.id)).rejects.toMatchObject({ code: 'KEY_MISSING' });
  });

  it('no D-Bus session bus: the keyring cannot be reached, with the recipe for a shell', async () => {
    await desk.signUp(server, 'ana');
    const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: NO_SYSTEM_BUS };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const secrets = createOsSecretStore('Passkey Desk test no bus', env, 'linux');
    const r = await run(undefined, 'no-longer-usable', doctor({ secrets, env }));
    const f = one(r, 'keyring');
    expect(f).toMatchObject({ verdict: 'problem', title: 'The keyring cannot be reached' });
    expect(f.evidence).toContainEqual({
      label: 'D-Bus session bus',
      value: 'none (DBUS_SESSION_BUS_ADDRESS is not set)',
    });
    expect(f.evidence).toContainEqual({ label: 'Error', value: 'KEYRING_UNAVAILABLE' });
    expect(steps(f)).toContain('dbus-run-session -- bash -c');
    expect(r.top).toMatchObject({ id: 'keyring' });
    expect(one(r, 'vault-key')).toMatchObject({ verdict: 'unknown' });
    // The report keeps the variable's name whole.
    expect(r.report).toContain('DBUS_SESSION_BUS_ADDRESS is not set');
  });

  it('a session bus address that leads nowhere: unset it, or start a keyring', () => {
    // The keyring library connects with the process's own environment and keeps its connection, so a stale
    // address is exercised as a process in test/vault/keyring-unreachable.test.ts; here, what the doctor makes of it.
    const [f] = keyringFindings(
      {
        vault: { kind: 'none' },
        key: {
          kind: 'error',
          error: { code: 'KEYRING_UNAVAILABLE', message: 'The Secret Service cannot be reached.' },
        },
        keyring: 'Secret Service',
      },
      'linux',
      { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/session_bus' },
    );
    expect(f).toMatchObject({ verdict: 'problem', title: 'The keyring cannot be reached' });
    expect(f!.evidence).toContainEqual({
      label: 'D-Bus session bus',
      value: 'DBUS_SESSION_BUS_ADDRESS is set',
    });
    expect(steps(f!)).toContain('`unset DBUS_SESSION_BUS_ADDRESS`');
    expect(steps(f!)).toContain('gnome-keyring-daemon --start --components=secrets');
  });

  it('without the keyring given, the keyring checks are left out rather than guessed', async () => {
    const r = await run(undefined, 'new-device', doctor({ secrets: null }));
    expect(r.checked.map((c) => c.id)).not.toContain('keyring');
    expect(byCheck(r, 'vault-key')).toEqual([]);
    expect(one(r, 'vault-file').verdict).toBe('ok');
  });
});

describe('polkit (real pkcheck)', () => {
  let polkit: PolkitModel;
  beforeAll(async () => {
    polkit = await startPolkitModel();
  });
  afterAll(async () => polkit.stop());

  it('polkit answers: ok', async () => {
    const verifier = createPolkitVerifier({ env: { ...process.env, ...polkit.env } });
    const f = one(await run(undefined, 'couldnt-verify-device', doctor({ verifier })), 'user-verification');
    expect(f).toMatchObject({ verdict: 'ok', title: 'polkit can verify you' });
  });

  it('no polkit on the system bus: a problem with how to install and run it', async () => {
    const verifier = createPolkitVerifier({
      env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: NO_SYSTEM_BUS },
    });
    const r = await run(undefined, 'couldnt-verify-device', doctor({ verifier }));
    const f = one(r, 'user-verification');
    expect(f).toMatchObject({ verdict: 'problem', title: 'polkit cannot verify you' });
    expect(f.evidence).toContainEqual({
      label: 'User verification',
      value: 'polkit (pkcheck, action app.passkeydesk.verify-user)',
    });
    expect(steps(f)).toContain('sudo cp build/linux/app.passkeydesk.policy /usr/share/polkit-1/actions/');
    expect(steps(f)).toContain('systemctl status polkit');
    expect(r.top).toMatchObject({ id: 'user-verification' });
  });
});
