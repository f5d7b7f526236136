import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOsSecretStore } from '../../src/main/keyring';
import { accountRecord } from '../helpers/account-record';
import { buildCli, runCli } from '../helpers/cli';
import { startPolkitModel } from '../helpers/polkit';
import type { PolkitModel } from '../helpers/polkit';

/**
 * A keyring that cannot be reached must say so (KEYRING_UNAVAILABLE, CLI exit 5), never read as "no secret": that
 * would report the vault key as lost (KEY_MISSING, "restore the keyring backup") and every account as signed out.
 * The real keyring is the gnome-keyring that scripts/test.sh starts; the unreachable ones are a stale bus address
 * (a socket path where nothing listens) and a private dbus-daemon that can activate no Secret Service.
 */
const LOST_KEY_WORDS = /missing|restore|absent/i;

/** A session bus that answers but has no org.freedesktop.secrets and nothing that could provide it. */
async function startBusWithoutKeyring(dir: string): Promise<{ address: string; daemon: ChildProcess }> {
  const config = join(dir, 'bus.conf');
  await writeFile(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>${join(dir, 'no-services')}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  );
  const daemon = spawn('dbus-daemon', [`--config-file=${config}`, '--nofork', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    daemon.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    daemon.on('error', reject);
    daemon.on('exit', (code) => reject(new Error(`dbus-daemon exited with ${String(code)}`)));
  });
  return { address, daemon };
}

describe.skipIf(process.platform !== 'linux')('an unreachable Secret Service', () => {
  let dir: string;
  let staleBus: string;
  let env: NodeJS.ProcessEnv;
  let bus: { address: string; daemon: ChildProcess };
  let polkit: PolkitModel;

  beforeAll(async () => {
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
      throw new Error('These tests need a Secret Service: run them with `bash scripts/test.sh test/vault`.');
    }
    buildCli();
    dir = await mkdtemp(join(tmpdir(), 'pkd-no-keyring-'));
    staleBus = `unix:path=${join(dir, 'nonexistent-bus')}`;
    polkit = await startPolkitModel();
    await polkit.allow();
    env = { ...process.env, ...polkit.env, PASSKEY_DESK_HOME: await mkdtemp(join(tmpdir(), 'pkd-cli-')) };
    bus = await startBusWithoutKeyring(dir);
  });
  afterAll(async () => {
    bus?.daemon.kill();
    await polkit?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const expectUnavailable = (r: { code: number; stderr: string }, address: string) => {
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toContain('Secret Service');
    expect(r.stderr).toContain(address);
    expect(r.stderr).toContain('dbus-run-session');
    expect(r.stderr).not.toMatch(LOST_KEY_WORDS);
  };

  it('reports a stale bus address as an unreachable keyring, not a lost vault key', async () => {
    const created = await runCli(['vault', 'create', '--rp-id', 'x.example', '--user', 'y'], env);
    expect(created.code, created.stderr).toBe(0);
    const vault = join(env.PASSKEY_DESK_HOME as string, 'vault.json');
    const before = await readFile(vault, 'utf8');

    const stale = await runCli(['vault', 'create', '--rp-id', 'x.example', '--user', 'z'], {
      ...env,
      DBUS_SESSION_BUS_ADDRESS: staleBus,
    });
    expectUnavailable(stale, staleBus);
    expect(stale.stderr).toContain('does not answer');
    expect(await readFile(vault, 'utf8')).toBe(before);

    // The key was never lost: with the keyring back, the same vault works.
    const again = await runCli(['vault', 'create', '--rp-id', 'x.example', '--user', 'z'], env);
    expect(again.code, again.stderr).toBe(0);
  });

  it('stores no new vault key anywhere else when the keyring cannot be reached', async () => {
    const home = await mkdtemp(join(tmpdir(), 'pkd-cli-'));
    const r = await runCli(['vault', 'create', '--rp-id', 'x.example', '--user', 'z'], {
      ...env,
      PASSKEY_DESK_HOME: home,
      DBUS_SESSION_BUS_ADDRESS: staleBus,
    });
    expectUnavailable(r, staleBus);
    expect(existsSync(join(home, 'vault.json'))).toBe(false);
  });

  it('does not list connected accounts as signed out when their sessions cannot be read', async () => {
    const home = await mkdtemp(join(tmpdir(), 'pkd-cli-'));
    const account = accountRecord('acct-1', 'ana');
    await writeFile(
      join(home, 'accounts.json'),
      JSON.stringify({ format: 'passkey-desk-accounts', version: 1, accounts: [account] }),
    );
    const ok = await runCli(['accounts', 'list'], { ...env, PASSKEY_DESK_HOME: home });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('acct-1');
    const r = await runCli(['accounts', 'list'], {
      ...env,
      PASSKEY_DESK_HOME: home,
      DBUS_SESSION_BUS_ADDRESS: staleBus,
    });
    expectUnavailable(r, staleBus);
    expect(r.stdout).not.toContain('signed out');
  });

  it('reports a bus with no Secret Service to activate as an unreachable keyring', async () => {
    const r = await runCli(['vault', 'create', '--rp-id', 'x.example', '--user', 'z'], {
      ...env,
      DBUS_SESSION_BUS_ADDRESS: bus.address,
    });
    expectUnavailable(r, bus.address);
    expect(r.stderr).toContain('no keyring daemon answers');
  });

  it('fails every keyring call with KEYRING_UNAVAILABLE in process, never reading as absent', async () => {
    // The library reads the bus address from the process environment (once per process): this file runs in its own
    // worker, and nothing above used the keyring in process.
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = staleBus;
    try {
      const secrets = createOsSecretStore(`Passkey Desk test ${process.pid}`);
      for (const call of [
        () => secrets.get('vault-key:x'),
        () => secrets.set('vault-key:x', 'not-a-real-secret'),
        () => secrets.delete('vault-key:x'),
      ]) {
        const error = await call().then(
          () => null,
          (e: unknown) => e as { code?: string; message?: string },
        );
        expect(error).toMatchObject({ code: 'KEYRING_UNAVAILABLE' });
        expect(error?.message).toContain(staleBus);
        expect(error?.message).not.toMatch(LOST_KEY_WORDS);
        expect(error?.message).not.toContain('not-a-real-secret');
      }
    } finally {
      process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    }
  });
});
