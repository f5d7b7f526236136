/**
 * One plan at a time rests on the apply lock's heartbeat. If that hold is lost mid-apply (another process judged
 * this one gone and took the lock over, or the lock folder was removed), this process must not run another step
 * beside whoever holds it now: it stops before the next step and says so.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server';
import type { AccountView } from '../../src/shared/contract/accounts';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import { addPasskey } from '../server/support';
import { serverCredentialIds } from '../e2e/support/accounts-server';
import { startProxy } from './proxy';
import { makeDesk } from './support';

describe('an apply that loses its lock', () => {
  it('stops before its next step, leaves the plan resumable, and reports the loss', async () => {
    const server = await startServer({ port: 0 });
    const proxy = await startProxy(server.url);
    try {
      const desk = await makeDesk();
      // Two accounts, each with its vault passkey purged (a server orphan to revoke) and a spare passkey that
      // keeps it usable: a plan of two revokes.
      const accounts: AccountView[] = [];
      const spares: string[] = [];
      for (const userName of ['cy', 'dee']) {
        const account = await desk.call('accounts.add', {
          serverUrl: proxy.url,
          method: 'create',
          userName,
        });
        const token = (
          JSON.parse((await desk.secrets.get(`session:${account.id}`)) ?? '{}') as { token: string }
        ).token;
        spares.push((await addPasskey(server, new SoftAuthenticator(), token)).json.passkey.id);
        accounts.push(account);
      }
      const own = (await desk.services.vault.list()).map((p) => p.credentialId);
      expect(own).toHaveLength(2);
      for (const id of own) {
        await desk.call('vault.delete', { credentialId: id });
        await desk.call('vault.purge', { credentialId: id, confirm: true, override: 'still-accepted' });
      }
      const serverIds = async () =>
        (await Promise.all(accounts.map((a) => serverCredentialIds(desk.services, a.id)))).flat();
      const plan = await desk.call('reconcile.plan', { selection: 'prune' });
      expect(plan.steps.map((s) => s.kind)).toEqual(['revoke-server', 'revoke-server']);

      proxy.mode = 'hold-after-forward';
      const applying = desk.call('reconcile.apply', { planId: plan.planId, confirm: true });
      const outcome = applying.then(
        () => null,
        (e: unknown) => e,
      );
      await proxy.held();
      // The hold is lost while the first revoke is in flight; the heartbeat (every 2 s) notices.
      await rm(join(desk.dataDir, 'plans', 'apply.lock'), { recursive: true, force: true });
      await sleep(4500);
      proxy.mode = 'pass';
      proxy.drop();

      expect(await outcome).toMatchObject({
        code: 'LOCKED_BY_OTHER_PROCESS',
        message: expect.stringContaining('lost its hold on the apply lock while it applied plan'),
      });
      // Only the first revoke reached the server; the second step was not run.
      expect(proxy.deletesForwarded).toHaveLength(1);
      const left = await serverIds();
      expect(left).toHaveLength(3);
      expect(left).toEqual(expect.arrayContaining(spares));
      // The plan is left as an interrupted one to finish (its first step's outcome is checked then).
      expect((await desk.call('reconcile.pending', {})).map((p) => p.planId)).toEqual([plan.planId]);
      const resumed = await desk.call('reconcile.resume', { planId: plan.planId, confirm: true });
      // The first revoke's connection was cut (it failed here, though the server had done it); the second runs now.
      expect(resumed.steps.map((x) => x.outcome)).toEqual(['failed', 'done']);
      expect(resumed.status).toBe('partial');
      // A retry checks the failed one first: gone from the server already, so it is not sent again.
      const retried = await desk.call('reconcile.retry', { planId: plan.planId, confirm: true });
      expect(retried.status).toBe('done');
      expect(proxy.deletesForwarded).toHaveLength(2);
      expect((await serverIds()).sort()).toEqual([...spares].sort());
    } finally {
      await proxy.close();
      await server.close();
    }
  }, 60_000);
});
