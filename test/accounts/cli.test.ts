/**
 * The accounts and reconcile commands as a real process: real keyring, real pkcheck (polkit model) for the vault,
 * the real reference server. `reconcile --json` is the help desk's interface, so its shape is pinned here.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server';
import type {
  AccountView,
  ApplyOutcome,
  PlanView,
  ReconcileReport,
} from '../../src/shared/contract/accounts';
import { runCli } from '../helpers/cli';
import { useCliWorld } from '../helpers/cli-world';
import { startProxy } from '../reconcile-e2e/proxy';
import { createOsSecretStore } from '../../src/main/keyring';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import { addPasskey } from '../server/support';

describe('passkey-desk accounts / reconcile / prune as a process', () => {
  const world = useCliWorld('pkd-acct-cli-');

  it('adds an account, reconciles as JSON, and prunes only with --yes', async () => {
    const added = await runCli(
      ['accounts', 'add', world.server.url, '--user', 'hal', '--create', '--json'],
      world.env,
    );
    expect(added.code, added.stderr).toBe(0);
    const account = JSON.parse(added.stdout) as AccountView;
    expect(account).toMatchObject({ userName: 'hal', signedIn: true });
    expect(JSON.stringify(account)).not.toMatch(/token/i);

    const list = await runCli(['accounts', 'list'], world.env);
    expect(list.stdout).toContain(account.id);
    expect(list.stdout).toContain('signed in (vault)');

    // Purge the vault passkey: the server keeps it (server-orphan), and it is the account's last one.
    const id = (
      JSON.parse((await runCli(['inventory', '--json'], world.env)).stdout) as {
        credentialId: string;
        store: string;
      }[]
    ).find((p) => p.store === 'vault')!.credentialId;
    await runCli(['vault', 'delete', id], world.env);
    // Purging the key of a passkey the server still accepts, and no other, would lock the user out: refused
    // (exit 4, nothing purged) unless overridden explicitly.
    const guarded = await runCli(['vault', 'purge', id, '--yes'], world.env);
    expect(guarded.code).toBe(4);
    expect(guarded.stderr).toContain(
      `hal at ${world.server.url} still accepts this passkey and no other: purging its key would leave no way to sign in there. Nothing was purged.`,
    );
    expect(guarded.stderr).toContain(`passkey-desk vault purge ${id} --yes --override still-accepted`);
    expect((await runCli(['vault', 'trash', '--json'], world.env)).stdout).toContain(id);
    const purged = await runCli(['vault', 'purge', id, '--yes', '--override', 'still-accepted'], world.env);
    expect(purged.code, purged.stderr).toBe(0);

    const json = await runCli(['reconcile', '--json'], world.env);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as ReconcileReport;
    expect(report.accounts).toHaveLength(1);
    const [row] = report.accounts[0]!.rows;
    expect(row).toMatchObject({
      credentialId: id,
      status: 'server-orphan',
      store: 'vault',
      actions: [expect.objectContaining({ kind: 'revoke-server', guard: 'last-passkey', safe: false })],
    });
    expect((await runCli(['reconcile', '--account', account.id], world.env)).stdout).toMatch(/server-orphan/);

    // prune: the guard blocks revoking the last passkey; --yes cannot change that; --override can, per action,
    // and then the server itself still refuses.
    const dry = await runCli(['prune', '--dry-run'], world.env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(/Blocked \(last-passkey\)/);
    // The text output gives the exact override to paste, since it shows no action ids otherwise.
    const override = `revoke-server:${account.id}:${id}:last-passkey`;
    expect(dry.stderr).toContain(`passkey-desk prune --override '${override}' --yes`);
    // With --yes a guard still keeps the action out, and says so with exit 4 (nothing else to do here).
    const yes = await runCli(['prune', '--yes', '--json'], world.env);
    expect(yes.code, yes.stderr).toBe(4);
    expect(yes.stderr).toMatch(
      /A guard kept an action out of the plan: This would leave hal at localhost with no passkey/,
    );
    expect(yes.stderr).toContain(`passkey-desk prune --override '${override}' --yes`);
    // The command to lift it keeps the options the user gave.
    const scoped = await runCli(['prune', '--account', account.id, '--yes'], world.env);
    expect(scoped.code).toBe(4);
    expect(scoped.stderr).toContain(
      `passkey-desk prune --account ${account.id} --override '${override}' --yes`,
    );
    expect((JSON.parse(yes.stdout) as { plan: PlanView }).plan.steps).toEqual([]);
    // Asked without --yes, the hint to apply repeats the override: the plan depends on it.
    const unconfirmed = await runCli(['prune', '--override', override], world.env);
    expect(unconfirmed.code).toBe(4);
    expect(unconfirmed.stderr).toContain(
      `Apply this plan with: passkey-desk prune --override '${override}' --yes`,
    );
    const forced = await runCli(
      ['prune', '--yes', '--json', '--override', `revoke-server:${account.id}:${id}:last-passkey`],
      world.env,
    );
    expect(forced.code).toBe(4);
    expect(forced.stderr).toMatch(/last passkey/);
    const outcome = (JSON.parse(forced.stdout) as { outcome: ApplyOutcome }).outcome;
    expect(outcome.steps.map((s) => [s.outcome, s.error?.code])).toEqual([['failed', 'LAST_PASSKEY']]);

    // A plan that did not fully succeed can have its failed steps run again once the cause is fixed; here the
    // cause stays (the server refuses), so the retry fails the same way and nothing else changes.
    expect(forced.stderr).toMatch(/prune --retry --yes/);
    const ask = await runCli(['prune', '--retry'], world.env);
    expect(ask.code).not.toBe(0);
    expect(ask.stderr).toMatch(/did not fully succeed.*prune --retry --yes/);
    const retried = await runCli(['prune', '--retry', '--yes', '--json'], world.env);
    expect(retried.code).toBe(4);
    expect((JSON.parse(retried.stdout) as ApplyOutcome).steps.map((s) => [s.outcome, s.error?.code])).toEqual(
      [['failed', 'LAST_PASSKEY']],
    );

    // Giving the partial plan up stops retry from offering it.
    const abandoned = await runCli(['prune', '--abandon'], world.env);
    expect(abandoned.code, abandoned.stderr).toBe(0);
    expect(abandoned.stderr).toMatch(/failed +revoke-server:/);
    expect(abandoned.stderr).toMatch(/Abandoned plan \S+: nothing more of it runs\./);
    expect((await runCli(['prune', '--retry', '--yes'], world.env)).stderr).toMatch(/nothing to retry/);

    // Modes that do not go together are refused, not one picked silently.
    for (const mixed of [
      ['--dry-run', '--yes'],
      ['--abandon', '--retry'],
    ]) {
      const r = await runCli(['prune', ...mixed], world.env);
      expect(r.code, mixed.join(' ')).toBe(2);
      expect(r.stderr).toContain(`${mixed.join(' and ')} do not go together`);
    }

    const bad = await runCli(['prune', '--yes', '--override', 'nonsense'], world.env);
    expect(bad.code).toBe(2);
    expect((await runCli(['accounts', 'remove', account.id], world.env)).code).toBe(0);
    expect((await runCli(['accounts', 'list', '--json'], world.env)).stdout.trim()).toBe('[]');
  });

  it('a partial plan whose account was removed is offered to be given up, not retried', async () => {
    const proxy = await startProxy(world.server.url);
    try {
      const home = { ...world.env, PASSKEY_DESK_HOME: await mkdtemp(join(tmpdir(), 'pkd-acct-cli-')) };
      const added = await runCli(['accounts', 'add', proxy.url, '--user', 'kim', '--create', '--json'], home);
      expect(added.code, added.stderr).toBe(0);
      const account = JSON.parse(added.stdout) as AccountView;
      // A second passkey on a phone (through the site's own API with the CLI's session), so the vault one can go.
      const session = await createOsSecretStore('Passkey Desk').get(`session:${account.id}`);
      const { token } = JSON.parse(session!) as { token: string };
      expect((await addPasskey(world.server, new SoftAuthenticator(), token)).status).toBe(201);
      const inventory = await runCli(['inventory', '--json'], home);
      const vaultId = (JSON.parse(inventory.stdout) as { credentialId: string }[])[0]!.credentialId;
      expect((await runCli(['vault', 'delete', vaultId], home)).code).toBe(0);
      expect(
        (await runCli(['vault', 'purge', vaultId, '--yes', '--override', 'still-accepted'], home)).code,
      ).toBe(0);
      proxy.mode = 'fail-delete'; // the revoke fails: the plan is left partial
      expect((await runCli(['prune', '--yes'], home)).code).not.toBe(0);
      expect((await runCli(['accounts', 'remove', account.id], home)).code).toBe(0);
      const retry = await runCli(['prune', '--retry', '--yes'], home);
      expect(retry.code).toBe(3);
      expect(retry.stderr).toContain(
        'no longer connected, so retrying cannot help: give the plan up with passkey-desk prune --abandon',
      );
      expect((await runCli(['prune', '--abandon'], home)).code).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('a signed-out account is "could not be read" (exit 5) for prune, prune --account and reconcile alike, and says to sign in', async () => {
    const home = { ...world.env, PASSKEY_DESK_HOME: await mkdtemp(join(tmpdir(), 'pkd-acct-cli-')) };
    const added = await runCli(
      ['accounts', 'add', world.server.url, '--user', 'kai', '--create', '--json'],
      home,
    );
    expect(added.code, added.stderr).toBe(0);
    const account = JSON.parse(added.stdout) as AccountView;
    const out = await runCli(['accounts', 'signout', account.id], home);
    expect(out.code, out.stderr).toBe(0);

    for (const args of [
      ['prune', '--account', account.id, '--yes'],
      ['prune', '--account', account.id, '--dry-run'],
      ['prune', '--yes'],
      ['reconcile', '--account', account.id],
    ]) {
      const run = await runCli(args, home);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(5);
      expect(run.stderr, args.join(' ')).toContain('passkey-desk accounts signin');
      expect(run.stderr, args.join(' ')).not.toContain('once the server can be reached');
    }
  });

  it('refuses options that do not go together rather than ignoring one (exit 2)', async () => {
    for (const [args, said] of [
      [['--create', '--browser', '--user', 'x'], '--create and --browser do not go together'],
      [['--browser', '--user', 'x'], '--user is not used with --browser'],
      [['--user', 'x', '--display-name', 'X'], '--display-name is only for signing up (--create)'],
    ] as const) {
      const r = await runCli(['accounts', 'add', world.server.url, ...args], world.env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(said);
    }
  });

  it('a damaged accounts.json stops a sign-up before anything is created, here or on the server', async () => {
    const home = { ...world.env, PASSKEY_DESK_HOME: await mkdtemp(join(tmpdir(), 'pkd-acct-cli-')) };
    await writeFile(join(home.PASSKEY_DESK_HOME, 'accounts.json'), 'garbage');
    const refused = await runCli(['accounts', 'add', world.server.url, '--user', 'lou', '--create'], home);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('accounts.json in the data folder is damaged');
    const inventory = JSON.parse((await runCli(['inventory', '--json'], home)).stdout) as unknown[];
    expect(inventory).toEqual([]);
    // Once the file is dealt with, the same sign-up works: the name was not taken by the refused attempt.
    await rm(join(home.PASSKEY_DESK_HOME, 'accounts.json'));
    const added = await runCli(['accounts', 'add', world.server.url, '--user', 'lou', '--create'], home);
    expect(added.code, added.stderr).toBe(0);
  });

  it('says when a server could not be read: exit 5, its passkeys "not compared", nothing planned for it', async () => {
    const gone = await startServer({ port: 0 });
    const home = { ...world.env, PASSKEY_DESK_HOME: await mkdtemp(join(tmpdir(), 'pkd-acct-cli-')) };
    const added = await runCli(['accounts', 'add', gone.url, '--user', 'ivy', '--create', '--json'], home);
    expect(added.code, added.stderr).toBe(0);
    await gone.close();

    // refresh says the same (exit 5), per account.
    const refreshed = await runCli(['accounts', 'refresh'], home);
    expect(refreshed.code).toBe(5);
    expect(refreshed.stderr).toContain('SERVER_UNREACHABLE');

    const text = await runCli(['reconcile'], home);
    expect(text.code).toBe(5);
    expect(text.stdout).toMatch(/ivy at localhost .* not read: /);
    expect(text.stdout).toContain('Not compared: the account');
    expect(text.stdout).not.toContain('No connected account');
    expect(text.stderr).toContain(`The account ivy at ${gone.url} could not be read`);
    const json = await runCli(['reconcile', '--json'], home);
    expect(json.code).toBe(5);
    const report = JSON.parse(json.stdout) as ReconcileReport;
    expect(report.accounts[0]).toMatchObject({ ok: false, error: { code: 'SERVER_UNREACHABLE' } });
    expect(report.accounts[0]!.rows.map((r) => r.title)).toEqual([
      'Not compared: the account could not be read',
    ]);

    for (const args of [['prune', '--yes'], ['prune', '--dry-run'], ['prune']]) {
      const pruned = await runCli(args, home);
      expect(pruned.code, args.join(' ')).toBe(5);
      expect(pruned.stderr).toMatch(/Not planned: ivy at .* could not be read/);
      expect(pruned.stderr).toContain('Nothing to prune for the accounts that could be read.');
      expect(pruned.stderr).not.toMatch(/every passkey is fine/);
    }
  });
});
