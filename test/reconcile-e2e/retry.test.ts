/**
 * A plan whose step failed (the server was down) ends `partial`; once the cause is gone, `reconcile.retry` runs
 * the failed step again, after checking whether its effect happened meanwhile, and never runs a step twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import type { AccountView } from '../../src/shared/contract/accounts';
import { PasskeyDeskError } from '../../src/shared/errors';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import { addPasskey } from '../server/support';
import { startProxy } from './proxy';
import { makeDesk } from './support';
import type { Desk } from './support';
import { serverCredentialIds } from '../e2e/support/accounts-server';

describe('retrying the failed steps of a partly applied plan', () => {
  let dir: string;
  let server: RunningServer;
  let desk: Desk;
  let account: AccountView;
  let v: string;
  let spare: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pkd-retry-'));
    server = await startServer({ port: 0, sqlitePath: join(dir, 'server.sqlite') });
    desk = await makeDesk();
    account = await desk.call('accounts.add', { serverUrl: server.url, method: 'create', userName: 'ana' });
    v = (await desk.services.vault.list())[0]!.credentialId;
    // A second passkey for the account (held elsewhere), so that revoking the vault's is not the last one.
    const token = (JSON.parse((await desk.secrets.get(`session:${account.id}`)) ?? '{}') as { token: string })
      .token;
    const added = await addPasskey(server, new SoftAuthenticator(), token);
    expect(added.status).toBe(201);
    spare = added.json.passkey.id;
    // The first is purged here: the server still lists it, a server orphan to revoke.
    await desk.call('vault.delete', { credentialId: v });
    await desk.call('vault.purge', { credentialId: v, confirm: true, override: 'still-accepted' });
  });
  afterEach(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The server down during apply: the revoke fails and the plan ends partial. Then the server is back. */
  async function applyWhileServerDown(): Promise<string> {
    const plan = await desk.call('reconcile.plan', { selection: 'prune' });
    expect(plan.steps.map((s) => s.kind)).toEqual(['revoke-server']);
    await server.close();
    const failed = await desk.call('reconcile.apply', { planId: plan.planId, confirm: true });
    expect(failed.status).toBe('partial');
    expect(failed.steps.map((s) => s.outcome)).toEqual(['failed']);
    server = await startServer({
      port: Number(new URL(server.url).port),
      sqlitePath: join(dir, 'server.sqlite'),
    });
    return plan.planId;
  }

  const serverIds = () => serverCredentialIds(desk.services, account.id);
  const journalOf = async (planId: string) =>
    (await desk.services.journal.entries()).filter((e) => e.planId === planId).map((e) => e.outcome);

  it('runs a step that could not even be checked (server down) once the server is back, and only once', async () => {
    const planId = await applyWhileServerDown();
    // Nothing was attempted: the step's state could not be checked, so it has no journal entry yet.
    expect(await journalOf(planId)).toEqual([]);
    await expect(desk.call('reconcile.retry', { planId })).rejects.toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
    });
    const retried = await desk.call('reconcile.retry', { planId, confirm: true });
    expect(retried.status).toBe('done');
    expect(retried.steps.map((s) => s.outcome)).toEqual(['done']);
    expect(await serverIds()).toEqual([spare]);
    expect(await journalOf(planId)).toEqual(['done']);
    // A plan that is done cannot be retried.
    const again = desk.call('reconcile.retry', { planId, confirm: true });
    await expect(again).rejects.toBeInstanceOf(PasskeyDeskError);
    await expect(again).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('closes a failed step whose effect happened meanwhile, without sending it again', async () => {
    const planId = await applyWhileServerDown();
    // Revoked by other means while the plan sat partial.
    await desk.services.accounts.accounts.withConnector(
      await desk.services.accounts.accounts.get(account.id),
      (c) => c.revoke(v),
      { reauth: true },
    );
    const retried = await desk.call('reconcile.retry', { planId, confirm: true });
    expect(retried.status).toBe('done');
    expect(retried.steps.map((s) => s.outcome)).toEqual(['already-done']);
    expect(await serverIds()).toEqual([spare]);
    expect(await journalOf(planId)).toEqual([]);
  });

  it('a step the server refused while running keeps its failed entry; the retry runs it under a new one', async () => {
    const proxy = await startProxy(server.url);
    try {
      const viaProxy = await makeDesk();
      const acct = await viaProxy.call('accounts.add', {
        serverUrl: proxy.url,
        method: 'create',
        userName: 'bo',
      });
      const token = (
        JSON.parse((await viaProxy.secrets.get(`session:${acct.id}`)) ?? '{}') as { token: string }
      ).token;
      expect((await addPasskey(server, new SoftAuthenticator(), token)).status).toBe(201);
      const own = (await viaProxy.services.vault.list())[0]!.credentialId;
      await viaProxy.call('vault.delete', { credentialId: own });
      await viaProxy.call('vault.purge', { credentialId: own, confirm: true, override: 'still-accepted' });
      const plan = await viaProxy.call('reconcile.plan', { selection: 'prune' });
      proxy.mode = 'fail-delete';
      const failed = await viaProxy.call('reconcile.apply', { planId: plan.planId, confirm: true });
      expect(failed.status).toBe('partial');
      expect(failed.steps.map((s) => [s.kind, s.outcome])).toEqual([['revoke-server', 'failed']]);
      const journal = async () =>
        (await viaProxy.services.journal.entries())
          .filter((e) => e.planId === plan.planId)
          .map((e) => e.outcome);
      expect(await journal()).toEqual(['failed']);
      proxy.mode = 'pass';
      const retried = await viaProxy.call('reconcile.retry', { planId: plan.planId, confirm: true });
      expect(retried.steps.map((s) => s.outcome)).toEqual(['done']);
      expect(retried.status).toBe('done');
      // The failed attempt stays in the journal; the retry has its own entry (newest first); one DELETE reached the server.
      expect(await journal()).toEqual(['done', 'failed']);
      expect(proxy.deletesForwarded).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});

describe('a step whose reason is gone by the time it runs', () => {
  it('a revoke of a server orphan is skipped, not run, once the passkey is back in the vault, and the plan is settled', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pkd-premise-'));
    let server = await startServer({ port: 0, sqlitePath: join(dir, 'server.sqlite') });
    try {
      const desk = await makeDesk();
      const account = await desk.call('accounts.add', {
        serverUrl: server.url,
        method: 'create',
        userName: 'ana',
      });
      const v = (await desk.services.vault.list())[0]!.credentialId;
      const token = (
        JSON.parse((await desk.secrets.get(`session:${account.id}`)) ?? '{}') as { token: string }
      ).token;
      const spare = (await addPasskey(server, new SoftAuthenticator(), token)).json.passkey.id;
      // Deleted to the trash: a server orphan, planned for revoking; the revoke fails (server down).
      await desk.call('vault.delete', { credentialId: v });
      const plan = await desk.call('reconcile.plan', { selection: 'prune' });
      expect(plan.steps.map((s) => s.kind)).toEqual(['revoke-server']);
      await server.close();
      const failed = await desk.call('reconcile.apply', { planId: plan.planId, confirm: true });
      expect(failed.status).toBe('partial');
      server = await startServer({
        port: Number(new URL(server.url).port),
        sqlitePath: join(dir, 'server.sqlite'),
      });

      // The user restores it from the trash before retrying: the server must keep accepting it.
      await desk.call('vault.restore', { credentialId: v });
      const retried = await desk.call('reconcile.retry', { planId: plan.planId, confirm: true });
      expect(retried.steps.map((s) => s.outcome)).toEqual(['skipped']);
      expect(retried.steps[0]!.message).toMatch(/^Not revoked: Passkey Desk vault holds this passkey again/);
      expect((await serverCredentialIds(desk.services, account.id)).sort()).toEqual([spare, v].sort());
      const row = (await desk.call('reconcile.run', {})).accounts[0]!.rows.find((r) => r.credentialId === v);
      expect(row?.status).toBe('synced');
      // Nothing is left to do for the skipped step: the plan is done, and retry no longer offers it.
      expect(retried.status).toBe('done');
      expect(await desk.services.accounts.reconciler.latestPartial()).toBeNull();
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
