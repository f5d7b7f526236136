/**
 * `passkey-desk doctor` as a real process, the way the README has a tester use it: an account connected with
 * `accounts add`, the real keyring, real pkcheck against the polkit model (whose private bus is also the system
 * bus, so BlueZ is not on it: "The Bluetooth service is not running"), the real reference server.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../src/shared/contract/accounts';
import type { DoctorRun } from '../../src/shared/doctor';
import { MESSAGES } from '../../src/shared/doctor';
import { runCli } from '../helpers/cli';
import { useCliWorld } from '../helpers/cli-world';

const world = useCliWorld('pkd-doctor-cli-acct-');

async function connect(userName: string): Promise<{ account: AccountView; credentialId: string }> {
  const added = await runCli(
    ['accounts', 'add', world.server.url, '--user', userName, '--create', '--json'],
    world.env,
  );
  expect(added.code, added.stderr).toBe(0);
  const account = JSON.parse(added.stdout) as AccountView;
  const inventory = JSON.parse((await runCli(['inventory', '--json'], world.env)).stdout) as {
    credentialId: string;
    rpId: string;
    userName: string;
  }[];
  return { account, credentialId: inventory.find((p) => p.userName === userName)!.credentialId };
}

describe('passkey-desk doctor --account', () => {
  it('a vault passkey moved to the trash: restoring it is finding 1, and the exact command is printed', async () => {
    const { account, credentialId } = await connect('tess');
    expect((await runCli(['vault', 'delete', credentialId], world.env)).code).toBe(0);

    const r = await runCli(['doctor', '--account', account.id, '--message', 'no-longer-usable'], world.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1. [PROBLEM] The passkey this account accepts is in the Passkey Desk trash');
    expect(r.stdout).toContain(
      `Or on the command line: passkey-desk vault restore ${credentialId.slice(0, 6)}…${credentialId.slice(-4)}`,
    );
    expect(r.stdout).not.toContain('None of the passkeys this account accepts is on this computer');
    expect(r.stdout).not.toContain('whose key is gone');
    // The report shortens IDs; the command to type is printed whole, apart from it.
    expect(r.stdout).not.toContain(credentialId);
    expect(r.stderr).toContain(`  passkey-desk vault restore ${credentialId}\n`);

    const json = JSON.parse(
      (
        await runCli(
          ['doctor', '--account', account.id, '--message', 'no-longer-usable', '--json'],
          world.env,
        )
      ).stdout,
    ) as DoctorRun;
    expect(json.top).toMatchObject({ id: 'passkey-status:in-trash' });

    // The command works, and afterwards the doctor finds the passkey here again.
    expect((await runCli(['vault', 'restore', credentialId], world.env)).code).toBe(0);
    const after = await runCli(
      ['doctor', '--account', account.id, '--message', 'no-longer-usable'],
      world.env,
    );
    expect(after.stdout).toContain('[OK] A passkey on this computer is accepted by the server');
    expect(after.stderr).not.toContain('passkey-desk vault restore');
  });
});

describe('passkey-desk doctor without an account', () => {
  it('for every message an account explains, "pick the account" is finding 1, not the Bluetooth service', async () => {
    const fresh = { ...world.env, PASSKEY_DESK_HOME: await mkdtemp(join(tmpdir(), 'pkd-doctor-cli-none-')) };
    const accountSide = MESSAGES.filter((m) => m.needsAccount && m.checks.bluetooth === undefined);
    expect(accountSide.map((m) => m.key)).toEqual(
      expect.arrayContaining(['already-have-passkey', 'no-longer-usable']),
    );
    for (const m of accountSide) {
      const r = await runCli(['doctor', '--message', m.key], fresh);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, m.key).toContain('\n1. [UNKNOWN] Pick the account to check its passkeys');
      // The message key is a fixed identifier, printed whole (it was "(alread…skey)").
      expect(r.stdout, m.key).toContain(`Message seen: "${m.wordings[0]}" (${m.key})\n`);
      // Still reported (it is true), just not as the likely cause.
      expect(r.stdout, m.key).toMatch(/\n[2-9]\. \[PROBLEM\] The Bluetooth service is not running/);
      const run = JSON.parse(
        (await runCli(['doctor', '--message', m.key, '--json'], fresh)).stdout,
      ) as DoctorRun;
      expect(run.top, m.key).toMatchObject({ check: 'passkey-status', verdict: 'unknown' });
      expect(run.findings[0]).toEqual(run.top);
    }
    // For the phone's QR code, Bluetooth is the first thing to look at.
    const qr = await runCli(['doctor', '--message', 'no-qr-code'], fresh);
    expect(qr.stdout).toContain('\n1. [PROBLEM] The Bluetooth service is not running');
  });
});

describe("passkey-desk doctor checks Passkey Desk's own requirements", () => {
  it('a damaged vault.json is finding 1 with its fix, without the data folder; polkit is checked', async () => {
    const home = await mkdtemp(join(tmpdir(), 'pkd-doctor-cli-vault-'));
    const fresh = { ...world.env, PASSKEY_DESK_HOME: home };
    await writeFile(join(home, 'vault.json'), '{"format": "passkey-desk-vault", ');
    const r = await runCli(['doctor', '--message', 'no-longer-usable'], fresh);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('\n1. [PROBLEM] The vault file is damaged  (vault-file,');
    expect(r.stdout).toContain('Fix: Restore vault.json');
    expect(r.stdout).toContain('[OK] polkit can verify you');
    expect(r.stdout).not.toContain(home);
  });

  it('no polkit to ask: a problem, with how to install and run it', async () => {
    const r = await runCli(['doctor', '--message', 'couldnt-verify-device'], {
      ...world.env,
      DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/nonexistent/system_bus_socket',
      PASSKEY_DESK_HOME: await mkdtemp(join(tmpdir(), 'pkd-doctor-cli-polkit-')),
    });
    expect(r.stdout).toContain('[PROBLEM] polkit cannot verify you  (user-verification,');
    expect(r.stdout).toContain('sudo cp build/linux/app.passkeydesk.policy /usr/share/polkit-1/actions/');
  });
});
