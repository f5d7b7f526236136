/** `passkey-desk doctor` as a real process (the built bundle), with the system bus pointed at the BlueZ model. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorRun } from '../../src/shared/doctor';
import { MESSAGE_KEYS } from '../../src/shared/doctor';
import type { BluezModel } from '../helpers/bluez';
import { startBluezModel } from '../helpers/bluez';
import { buildCli, runCli } from '../helpers/cli';

let model: BluezModel;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  buildCli();
  model = await startBluezModel();
  await model.addAdapter('hci0', 'desk');
  await model.setPowered('hci0', false);
  env = { ...model.env, PASSKEY_DESK_HOME: mkdtempSync(join(tmpdir(), 'pkd-doctor-cli-')) };
});
afterAll(async () => model.stop());

describe('passkey-desk doctor', () => {
  it('--help lists every message key', async () => {
    const r = await runCli(['doctor', '--help'], env);
    expect(r.code).toBe(0);
    for (const key of MESSAGE_KEYS) expect(r.stdout).toContain(key);
    expect(r.stdout).toContain('--account <id>');
  });

  it('prints the report, Bluetooth off on top for "no-qr-code"', async () => {
    const r = await runCli(['doctor', '--message', 'no-qr-code'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Passkey Desk troubleshooting report/);
    expect(r.stdout).toContain('1. [PROBLEM] Bluetooth is turned off');
    expect(r.stdout).not.toContain(env.PASSKEY_DESK_HOME!);
  });

  it('--json prints the whole run', async () => {
    const r = await runCli(['doctor', '--message', 'no-qr-code', '--json'], env);
    const run = JSON.parse(r.stdout) as DoctorRun;
    expect(run.top).toMatchObject({ check: 'bluetooth', verdict: 'problem' });
    expect(run.report).toContain('Bluetooth is turned off');
    expect(run.checked.map((c) => c.id)).toContain('server-reachable');
  });

  it('an unknown message key is a usage error; an unknown account is not found (exit 3), as in reconcile', async () => {
    expect((await runCli(['doctor', '--message', 'nope'], env)).code).toBe(2);
    for (const args of [['--json'], []]) {
      const r = await runCli(['doctor', '--account', 'acct-none', ...args], env);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        'No connected account has the id "acct-none". Run `passkey-desk accounts list`',
      );
    }
  });
});
