/**
 * (f) The process dies mid-apply: `passkey-desk prune --yes` runs as a real child process and is killed with
 * SIGKILL while its revoke request is held by a proxy; a new process then finishes the plan. The journal and the
 * server show that no step ran twice — whether the revoke had reached the server before the kill or not.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOsSecretStore } from '../../src/main/keyring';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import type { AccountView } from '../../src/shared/contract/accounts';
import { buildCli, runCli } from '../helpers/cli';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import { addPasskey } from '../server/support';
import type { HoldMode, Proxy } from './proxy';
import { startProxy } from './proxy';
import { makeDesk } from './support';
import type { Desk } from './support';

const bin = fileURLToPath(new URL('../../bin/passkey-desk.js', import.meta.url));
const ONE_PASSWORD = Uint8Array.from(Buffer.from('bada5566a7aa401fbd9645619a55120d', 'hex'));

describe('a plan interrupted by SIGKILL is finished by the next process without running a step twice', () => {
  let server: RunningServer;
  let proxy: Proxy;
  let desk: Desk;
  let env: NodeJS.ProcessEnv;
  let carol: AccountView;
  let dave: AccountView;
  let localOrphan: string;
  let serverOrphan: string;

  beforeAll(() => buildCli());

  beforeEach(async () => {
    server = await startServer({ port: 0 });
    proxy = await startProxy(server.url);
    // The CLI child uses the OS keyring under the product's own service name; so does this desk.
    desk = await makeDesk({}, createOsSecretStore());
    env = { ...process.env, PASSKEY_DESK_HOME: desk.dataDir };
    const withPhone = async (name: string) => {
      const account = await desk.call('accounts.add', {
        serverUrl: proxy.url,
        method: 'create',
        userName: name,
      });
      const token = (
        JSON.parse((await desk.secrets.get(`session:${account.id}`)) ?? '{}') as { token: string }
      ).token;
      expect((await addPasskey(server, new SoftAuthenticator({ aaguid: ONE_PASSWORD }), token)).status).toBe(
        201,
      );
      const vault = (await desk.services.vault.list()).find((p) => p.userName === name)!.credentialId;
      return { account, vault };
    };
    const c = await withPhone(`carol${Date.now()}`);
    const d = await withPhone(`dave${Date.now()}`);
    carol = c.account;
    dave = d.account;
    localOrphan = c.vault;
    serverOrphan = d.vault;
    // carol's vault passkey is revoked on the site; dave's is purged from the vault.
    await desk.services.accounts.accounts.withConnector(
      await desk.services.accounts.accounts.get(carol.id),
      (x) => x.revoke(localOrphan),
      { reauth: false },
    );
    await desk.call('vault.delete', { credentialId: serverOrphan });
    await desk.call('vault.purge', { credentialId: serverOrphan, confirm: true, override: 'still-accepted' });
    proxy.deletesForwarded.length = 0; // count only what the plan sends
  });
  afterEach(async () => {
    await proxy.close();
    await server.close();
  });

  async function killDuringRevoke(mode: HoldMode): Promise<string> {
    proxy.mode = mode;
    const child = spawn(process.execPath, [bin, 'prune', '--yes'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    const held = await Promise.race([
      proxy.held(),
      exited.then(() => Promise.reject(new Error(`the CLI exited before its revoke: ${stderr}`))),
    ]);
    expect(held).toContain(encodeURIComponent(serverOrphan));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    proxy.mode = 'pass';
    const pending = await desk.call('reconcile.pending', {});
    expect(pending).toHaveLength(1);
    return pending[0]!.planId;
  }

  async function journalOf(planId: string) {
    return (await desk.services.journal.entries())
      .filter((e) => e.planId === planId)
      .map((e) => [e.action, e.credentialId, e.outcome]);
  }

  async function finishWithNewProcess(planId: string) {
    const blocked = await runCli(['prune', '--yes'], env);
    expect(blocked.code, blocked.stderr).toBe(4);
    expect(blocked.stderr).toContain('--resume');
    // A script asking for JSON gets the unfinished plan on stdout, with the same exit code.
    const json = await runCli(['prune', '--json'], env);
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout)).toMatchObject({ planId, status: 'applying' });
    const resumed = await runCli(['prune', '--resume', '--yes'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await desk.call('reconcile.pending', {})).toEqual([]);
    expect(await journalOf(planId)).toEqual([
      ['server.revoke', serverOrphan, 'done'],
      ['vault.delete', localOrphan, 'done'],
    ]);
    // Each side is fixed, once.
    expect(proxy.deletesForwarded).toEqual([expect.stringContaining(encodeURIComponent(serverOrphan))]);
    expect((await desk.services.vault.trash()).map((t) => t.passkey.credentialId)).toEqual([localOrphan]);
    const report = await desk.call('reconcile.run', {});
    for (const a of report.accounts) expect(a.rows.map((r) => r.status)).toEqual(['elsewhere']);
    expect(report.accounts.map((a) => a.accountId).sort()).toEqual([carol.id, dave.id].sort());
    return resumed.stderr;
  }

  it('the revoke reached the server before the kill: resume closes it as done without sending it again', async () => {
    const planId = await killDuringRevoke('hold-after-forward');
    expect(await journalOf(planId)).toEqual([
      ['server.revoke', serverOrphan, 'pending'],
      ['vault.delete', localOrphan, 'done'],
    ]);
    const stderr = await finishWithNewProcess(planId);
    expect(stderr).toMatch(/already-done .*delete-local/);
    expect(stderr).toMatch(/already-done .*revoke-server.*had already happened/);
  });

  it('the revoke never reached the server: resume sends it once, under the same journal entry', async () => {
    const planId = await killDuringRevoke('hold-before-forward');
    expect(proxy.deletesForwarded).toEqual([]);
    const stderr = await finishWithNewProcess(planId);
    expect(stderr).toMatch(/done +revoke-server/);
  });

  it('an interrupted plan can be abandoned instead: nothing more runs, and open steps are closed by what really happened', async () => {
    const planId = await killDuringRevoke('hold-before-forward');
    const abandoned = await runCli(['prune', '--abandon', '--json'], env);
    expect(abandoned.code, abandoned.stderr).toBe(0);
    expect((JSON.parse(abandoned.stdout) as { status: string }).status).toBe('abandoned');
    expect(await journalOf(planId)).toEqual([
      ['server.revoke', serverOrphan, 'failed'],
      ['vault.delete', localOrphan, 'done'],
    ]);
    expect(proxy.deletesForwarded).toEqual([]);
    expect(await desk.call('reconcile.pending', {})).toEqual([]);
  });
});
