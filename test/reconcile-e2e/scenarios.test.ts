/**
 * Reconciliation end to end, in process: the real reference server, the real vault (real keyring), the real
 * journal. Each scenario breaks one side the way users do, reconciles, plans, applies, and checks both sides.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import type { AccountView, ReconcileReport } from '../../src/shared/contract/accounts';
import type { PlanStep, ReconcileRow } from '../../src/shared/reconcile';
import { PASSKEY_DESK_AAGUID } from '../../src/shared/reconcile';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import { addPasskey, ManualClock } from '../server/support';
import { dataFolderText, makeDesk } from './support';
import type { Desk } from './support';
import { serverCredentialIds } from '../e2e/support/accounts-server';

const rowsOf = (report: ReconcileReport, accountId: string): ReconcileRow[] =>
  report.accounts.find((a) => a.accountId === accountId)?.rows ?? [];
const statusOf = (rows: ReconcileRow[], credentialId: string) =>
  rows.filter((r) => r.credentialId === credentialId).map((r) => r.status);

/** 1Password's AAGUID: the engine knows its store (guided:1password), which Passkey Desk cannot read. */
const ONE_PASSWORD = Uint8Array.from(Buffer.from('bada5566a7aa401fbd9645619a55120d', 'hex'));
const PASSKEY_DESK_AAGUID_BYTES = Uint8Array.from(Buffer.from(PASSKEY_DESK_AAGUID.replace(/-/g, ''), 'hex'));

describe('reconcile against the reference server', () => {
  let server: RunningServer;
  let desk: Desk;
  let account: AccountView;
  /** The vault passkey the account was created with. */
  let v: string;
  /** A passkey in 1Password (a store Passkey Desk cannot read), registered on the same account. */
  let phone: string;
  const clock = new ManualClock(Date.now());

  beforeEach(async () => {
    clock.ms = Date.now();
    server = await startServer({ port: 0, clock });
    desk = await makeDesk();
    account = await desk.call('accounts.add', { serverUrl: server.url, method: 'create', userName: 'ana' });
    v = (await desk.services.vault.list())[0]!.credentialId;
    const token = (JSON.parse((await desk.secrets.get(`session:${account.id}`)) ?? '{}') as { token: string })
      .token;
    const added = await addPasskey(server, new SoftAuthenticator({ aaguid: ONE_PASSWORD }), token);
    expect(added.status).toBe(201);
    phone = added.json.passkey.id;
  });
  afterEach(async () => server.close());

  const accounts = () => desk.services.accounts.accounts;
  const serverIds = () => serverCredentialIds(desk.services, account.id);
  const revokeDirectly = async (id: string) =>
    accounts().withConnector(await accounts().get(account.id), (c) => c.revoke(id), { reauth: true });
  const purgeLocally = async (id: string) => {
    await desk.call('vault.delete', { credentialId: id });
    await desk.call('vault.purge', { credentialId: id, confirm: true, override: 'still-accepted' });
  };

  it('shows the vault passkey as synced and the 1Password one as elsewhere', async () => {
    const report = await desk.call('reconcile.run', {});
    const rows = rowsOf(report, account.id);
    expect(rows.map((r) => [r.credentialId, r.status, r.store]).sort()).toEqual(
      [
        [phone, 'elsewhere', 'guided:1password'],
        [v, 'synced', 'vault'],
      ].sort(),
    );
    expect(report.accounts[0]).toMatchObject({ ok: true, accepted: 2, userName: 'ana', rpId: 'localhost' });
  });

  it('(b) a vault passkey revoked on the server is a local orphan, fixed by deleting it locally (to the trash)', async () => {
    await revokeDirectly(v);
    const rows = rowsOf(await desk.call('reconcile.run', { accountId: account.id }), account.id);
    expect(statusOf(rows, v)).toEqual(['local-orphan']);
    const plan = await desk.call('reconcile.plan', { accountId: account.id, selection: 'prune' });
    expect(plan.steps.map((s) => [s.kind, s.target.credentialId])).toEqual([['delete-local', v]]);

    const dry = await desk.call('reconcile.apply', { planId: plan.planId, dryRun: true });
    expect(dry.steps.map((s) => s.outcome)).toEqual(['would-run']);
    expect((await desk.services.vault.list()).map((p) => p.credentialId)).toEqual([v]);
    await expect(desk.call('reconcile.apply', { planId: plan.planId })).rejects.toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
    });

    const done = await desk.call('reconcile.apply', { planId: plan.planId, confirm: true });
    expect(done.status).toBe('done');
    expect((await desk.services.vault.trash()).map((t) => t.passkey.credentialId)).toEqual([v]);
    const journal = (await desk.services.journal.entries()).filter((e) => e.planId === plan.planId);
    expect(journal.map((e) => [e.action, e.outcome, e.credentialId])).toEqual([['vault.delete', 'done', v]]);
    expect(rowsOf(await desk.call('reconcile.run', {}), account.id).map((r) => r.status)).toEqual([
      'elsewhere',
    ]);
    await expect(desk.call('reconcile.apply', { planId: plan.planId, confirm: true })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    // Undo from the trash.
    await desk.call('vault.restore', { credentialId: v });
    expect(statusOf(rowsOf(await desk.call('reconcile.run', {}), account.id), v)).toEqual(['local-orphan']);
  });

  it('a vault passkey in the trash is an orphan whose row says to restore it first', async () => {
    await desk.call('vault.delete', { credentialId: v });
    const row = rowsOf(await desk.call('reconcile.run', {}), account.id).find((r) => r.credentialId === v);
    expect(row).toMatchObject({
      status: 'server-orphan',
      title: 'In the Passkey Desk vault trash, still on the server',
    });
    expect(row?.explanation).toContain('To use it again, restore it');
    await desk.call('vault.restore', { credentialId: v });
    expect(statusOf(rowsOf(await desk.call('reconcile.run', {}), account.id), v)).toEqual(['synced']);
  });

  it('(c) a vault passkey purged locally is a server orphan, fixed by revoking it on the server', async () => {
    await purgeLocally(v);
    const rows = rowsOf(await desk.call('reconcile.run', {}), account.id);
    expect(statusOf(rows, v)).toEqual(['server-orphan']);
    expect(rows.find((r) => r.credentialId === v)?.actions.map((a) => [a.kind, a.safe])).toEqual([
      ['revoke-server', true],
    ]);
    const plan = await desk.call('reconcile.plan', { selection: 'prune' });
    const done = await desk.call('reconcile.apply', { planId: plan.planId, confirm: true });
    expect(done.steps.map((s) => [s.kind, s.outcome])).toEqual([['revoke-server', 'done']]);
    expect(await serverIds()).toEqual([phone]);
    const entry = (await desk.services.journal.entries()).find((e) => e.planId === plan.planId);
    expect(entry).toMatchObject({
      action: 'server.revoke',
      outcome: 'done',
      accountId: account.id,
      credentialId: v,
      undo: null,
    });
    expect(entry?.snapshot).toMatchObject({ credential: { credentialId: v, name: 'Passkey Desk vault' } });
    expect(rowsOf(await desk.call('reconcile.run', {}), account.id).map((r) => r.status)).toEqual([
      'elsewhere',
    ]);
  });

  it('a passkey Passkey Desk made on another computer (same AAGUID, never in this vault) is elsewhere, and prune leaves it', async () => {
    // Every Passkey Desk answers with one AAGUID; the other computer's vault is modelled by an authenticator
    // that announces it. This vault has never held that passkey, so nothing says it is gone.
    const token = (JSON.parse((await desk.secrets.get(`session:${account.id}`)) ?? '{}') as { token: string })
      .token;
    const added = await addPasskey(
      server,
      new SoftAuthenticator({ aaguid: PASSKEY_DESK_AAGUID_BYTES }),
      token,
    );
    expect(added.status).toBe(201);
    const other = added.json.passkey.id;
    const row = rowsOf(await desk.call('reconcile.run', {}), account.id).find(
      (r) => r.credentialId === other,
    );
    expect(row).toMatchObject({ status: 'elsewhere', store: null });
    expect(row?.title).toContain('Passkey Desk on another computer');
    expect(row?.actions.map((a) => [a.kind, a.safe])).toEqual([['mark-deleted', false]]);
    const plan = await desk.call('reconcile.plan', { selection: 'prune' });
    expect(plan.steps).toEqual([]);

    // Once the user says they deleted it on that computer, it is an orphan to revoke; this vault's own
    // purged passkey is one without being told (the vault keeps the IDs it purged).
    await desk.call('guided.mark', { store: 'guided:other', rpId: 'localhost', credentialId: other });
    await purgeLocally(v);
    const rows = rowsOf(await desk.call('reconcile.run', {}), account.id);
    expect(statusOf(rows, other)).toEqual(['server-orphan']);
    expect(statusOf(rows, v)).toEqual(['server-orphan']);
    const prune = await desk.call('reconcile.plan', { selection: 'prune' });
    const done = await desk.call('reconcile.apply', { planId: prune.planId, confirm: true });
    expect(done.steps.map((s) => [s.actionId, s.outcome]).sort()).toEqual(
      [
        [`revoke-server:${account.id}:${other}`, 'done'],
        [`revoke-server:${account.id}:${v}`, 'done'],
      ].sort(),
    );
    expect(await serverIds()).toEqual([phone]);
  });

  it("a plan made before the vault kept its retired IDs does not revoke another computer's passkey", async () => {
    const token = (JSON.parse((await desk.secrets.get(`session:${account.id}`)) ?? '{}') as { token: string })
      .token;
    const other = (
      await addPasskey(server, new SoftAuthenticator({ aaguid: PASSKEY_DESK_AAGUID_BYTES }), token)
    ).json.passkey.id;
    // The old rule (our AAGUID alone) planned "revoke, gone from the vault" for it: such a plan file, as saved.
    await purgeLocally(v);
    const plan = await desk.call('reconcile.plan', { selection: 'prune' });
    const file = join(desk.dataDir, 'plans', `${plan.planId}.json`);
    const saved = JSON.parse(await readFile(file, 'utf8')) as { plan: { steps: PlanStep[] } };
    const step = saved.plan.steps[0]!;
    expect(step.premise).toEqual({ goneFrom: 'vault' });
    saved.plan.steps = [
      {
        ...step,
        actionId: `revoke-server:${account.id}:${other}`,
        target: { ...step.target, credentialId: other },
      },
    ];
    await writeFile(file, JSON.stringify(saved));

    const done = await desk.call('reconcile.apply', { planId: plan.planId, confirm: true });
    expect(done.steps.map((s) => [s.outcome, s.message])).toEqual([
      ['skipped', expect.stringContaining('never held this passkey') as string],
    ]);
    expect((await serverIds()).sort()).toEqual([phone, v, other].sort());
  });

  it('"deleted there" then revoke: marks the 1Password passkey and revokes it, signing in again with the vault when the sign-in is old', async () => {
    const mark = await desk.call('reconcile.plan', {
      selection: { actionIds: [`mark-deleted:${account.id}:${phone}`], overrides: [] },
    });
    expect((await desk.call('reconcile.apply', { planId: mark.planId, confirm: true })).status).toBe('done');
    const rows = rowsOf(await desk.call('reconcile.run', {}), account.id);
    expect(statusOf(rows, phone)).toEqual(['server-orphan']);

    clock.advance(6 * 60_000); // the server now wants a fresh user-verified sign-in before a revoke
    const before = desk.verifier.requests.length;
    const plan = await desk.call('reconcile.plan', { selection: 'prune' });
    const done = await desk.call('reconcile.apply', { planId: plan.planId, confirm: true });
    expect(done.steps.map((s) => [s.kind, s.outcome])).toEqual([['revoke-server', 'done']]);
    expect(desk.verifier.requests.slice(before)).toEqual([
      expect.stringMatching(/^sign in to localhost as ana/),
    ]);
    expect(await serverIds()).toEqual([v]);
  });

  it('a plan being applied is running, not interrupted: Finish and Abandon refuse it until it ends', async () => {
    const mark = await desk.call('reconcile.plan', {
      selection: { actionIds: [`mark-deleted:${account.id}:${phone}`], overrides: [] },
    });
    await desk.call('reconcile.apply', { planId: mark.planId, confirm: true });
    clock.advance(6 * 60_000); // the revoke needs a fresh sign-in: the user's verification holds the apply
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let asked!: () => void;
    const askedOnce = new Promise<void>((r) => (asked = r));
    const verify = desk.verifier.verify.bind(desk.verifier);
    desk.verifier.verify = async (reason: string) => {
      asked();
      await held;
      return verify(reason);
    };
    const plan = await desk.call('reconcile.plan', { selection: 'prune' });
    const applying = desk.call('reconcile.apply', { planId: plan.planId, confirm: true });
    await Promise.race([
      askedOnce,
      applying.then(() => Promise.reject(new Error('the apply ended without asking the user'))),
    ]);
    // The plan file says "applying" with this process's id, but nothing was interrupted.
    expect(await desk.call('reconcile.pending', {})).toEqual([]);
    await expect(desk.call('reconcile.resume', { planId: plan.planId, confirm: true })).rejects.toMatchObject(
      {
        code: 'CONFLICT',
        message: expect.stringContaining('is being applied right now'),
      },
    );
    await expect(desk.call('reconcile.abandon', { planId: plan.planId })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    release();
    const done = await applying;
    expect(done.status).toBe('done');
    expect(done.steps.map((s) => [s.kind, s.outcome])).toEqual([['revoke-server', 'done']]);
    const revokes = (await desk.services.journal.entries()).filter((e) => e.planId === plan.planId);
    expect(revokes.map((e) => e.outcome)).toEqual(['done']);
  });

  it('one plan at a time: while another process applies a plan, a second one is refused, not run beside it', async () => {
    await purgeLocally(v);
    const first = await desk.call('reconcile.plan', { selection: 'prune' });
    const plans = join(desk.dataDir, 'plans');
    // Another Passkey Desk process is applying the first plan: it holds the apply lock (with its heartbeat).
    const other = spawn(
      process.execPath,
      [
        '-e',
        `require('proper-lockfile').lock(${JSON.stringify(`${plans}/apply`)}, { realpath: false, lockfilePath: ${JSON.stringify(`${plans}/apply.lock`)}, stale: 10000, update: 2000 }).then(() => { console.log('held'); setTimeout(() => {}, 60000); });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((r) => other.stdout.once('data', () => r()));
      const file = join(plans, `${first.planId}.json`);
      const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      await writeFile(file, JSON.stringify({ ...saved, status: 'applying', applyingPid: other.pid }));
      // It is running there, not interrupted.
      expect(await desk.call('reconcile.pending', {})).toEqual([]);
      clock.advance(1000);
      const second = await desk.call('reconcile.plan', {
        selection: { actionIds: [`rename-server:${account.id}:${phone}`], overrides: [] },
      });
      await expect(
        desk.call('reconcile.apply', { planId: second.planId, confirm: true }),
      ).rejects.toMatchObject({
        code: 'LOCKED_BY_OTHER_PROCESS',
        message: expect.stringContaining('Another plan is being applied right now'),
      });
    } finally {
      other.kill('SIGKILL');
      await new Promise((r) => other.once('exit', r));
    }
    // Once that process is gone, its plan is an interrupted one to resume first, as ever.
    expect((await desk.call('reconcile.pending', {})).map((p) => p.planId)).toEqual([first.planId]);
  }, 60_000);

  it('a plan marked by a process id that lives on but holds no apply lock (reused after a reboot) is interrupted', async () => {
    await purgeLocally(v);
    const first = await desk.call('reconcile.plan', { selection: 'prune' });
    const unrelated = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const file = join(desk.dataDir, 'plans', `${first.planId}.json`);
      const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      await writeFile(file, JSON.stringify({ ...saved, status: 'applying', applyingPid: unrelated.pid }));
      expect((await desk.call('reconcile.pending', {})).map((p) => p.planId)).toEqual([first.planId]);
      const done = await desk.call('reconcile.resume', { planId: first.planId, confirm: true });
      expect(done.status).toBe('done');
    } finally {
      unrelated.kill('SIGKILL');
    }
  });

  it('(d) the guard never revokes the last passkey: checked again at apply time on fresh server state, and blocked in the plan', async () => {
    await purgeLocally(v);
    const plan = await desk.call('reconcile.plan', { selection: 'prune' });
    expect(plan.steps.map((s) => [s.kind, s.target.credentialId])).toEqual([['revoke-server', v]]);
    // After the plan was made, the other passkey is revoked on the site: the planned revoke would now remove
    // the last one. It is stopped, not journaled, and the server keeps it.
    await revokeDirectly(phone);
    const outcome = await desk.call('reconcile.apply', { planId: plan.planId, confirm: true });
    expect(outcome.steps.map((s) => [s.outcome, s.guard])).toEqual([['blocked', 'last-passkey']]);
    expect(outcome.status).toBe('partial');
    expect(await serverIds()).toEqual([v]);
    expect((await desk.services.journal.entries()).filter((e) => e.planId === plan.planId)).toEqual([]);

    // A new plan blocks it up front and says why.
    const again = await desk.call('reconcile.plan', { selection: 'prune' });
    expect(again.steps).toEqual([]);
    expect(again.blocked.map((b) => [b.actionId, b.guard])).toEqual([
      [`revoke-server:${account.id}:${v}`, 'last-passkey'],
    ]);
    expect(again.description.join('\n')).toMatch(/Blocked \(last-passkey\)/);

    // Overriding the guard is explicit and per action — and the server still refuses its last passkey.
    const forced = await desk.call('reconcile.plan', {
      selection: 'prune',
      overrides: [{ actionId: `revoke-server:${account.id}:${v}`, guard: 'last-passkey' }],
    });
    expect(forced.steps.map((s) => s.overridden)).toEqual(['last-passkey']);
    const refused = await desk.call('reconcile.apply', { planId: forced.planId, confirm: true });
    expect(refused.steps.map((s) => [s.outcome, s.error?.code])).toEqual([['failed', 'LAST_PASSKEY']]);
    expect(await serverIds()).toEqual([v]);
  });

  it('(e) shows a duplicate and prunes the one the server never registered', async () => {
    const extra = await desk.services.vault.create({
      rpId: 'localhost',
      userName: 'ana',
      userHandle: account.userHandle,
    });
    const rows = rowsOf(await desk.call('reconcile.run', {}), account.id);
    expect(statusOf(rows, extra.passkey.credentialId)).toEqual(['duplicate']);
    expect(statusOf(rows, v)).toEqual(['synced']);
    expect(rows.find((r) => r.credentialId === extra.passkey.credentialId)?.title).toMatch(
      /already have a passkey/,
    );

    // Prune removes the duplicate the server never registered, and nothing else.
    const prune = await desk.call('reconcile.plan', { selection: 'prune' });
    expect(prune.steps.map((s) => [s.kind, s.target.credentialId])).toEqual([
      ['delete-local', extra.passkey.credentialId],
    ]);
    expect((await desk.call('reconcile.apply', { planId: prune.planId, confirm: true })).status).toBe('done');
    expect((await desk.services.vault.list()).map((p) => p.credentialId)).toEqual([v]);
  });

  it("a duplicate the server accepts can have its revoke applied on its own (the row's Fix picks it first)", async () => {
    // Two vault passkeys the server accepts: the second registered while the first was in the trash.
    await desk.call('vault.delete', { credentialId: v });
    const second = await desk.call('accounts.addVaultPasskey', { accountId: account.id });
    await desk.call('vault.restore', { credentialId: v });
    const rows = rowsOf(await desk.call('reconcile.run', {}), account.id);
    const dup = rows.find((r) => r.status === 'duplicate')!;
    expect([v, second.passkey.credentialId]).toContain(dup.credentialId);
    const revoke = dup.actions.find((a) => a.kind === 'revoke-server')!;
    const plan = await desk.call('reconcile.plan', { selection: { actionIds: [revoke.id], overrides: [] } });
    expect(plan.steps.map((s) => [s.kind, s.premise])).toEqual([['revoke-server', null]]);
    const done = await desk.call('reconcile.apply', { planId: plan.planId, confirm: true });
    expect(done.steps.map((s) => s.outcome)).toEqual(['done']);
    expect((await serverIds()).sort()).toEqual(
      [phone, v, second.passkey.credentialId].filter((id) => id !== dup.credentialId).sort(),
    );
  });

  it('a revoke resting on "I deleted it there" is not run once that mark is withdrawn', async () => {
    const mark = await desk.call('guided.mark', {
      store: 'guided:1password',
      rpId: 'localhost',
      credentialId: phone,
    });
    const plan = await desk.call('reconcile.plan', { selection: 'prune' });
    expect(plan.steps.map((s) => [s.kind, s.target.credentialId, s.premise])).toEqual([
      ['revoke-server', phone, { goneFrom: 'guided:1password' }],
    ]);
    // The user takes it back before the plan runs (the phone still has it).
    await desk.call('guided.unmark', { id: mark.id });
    const outcome = await desk.call('reconcile.apply', { planId: plan.planId, confirm: true });
    expect(outcome.steps.map((s) => s.outcome)).toEqual(['skipped']);
    expect(outcome.steps[0]!.message).toMatch(
      /^Not revoked: the mark saying you deleted this passkey in .* was withdrawn/,
    );
    // Nothing is left to do for it, so the plan is done rather than offered for retry.
    expect(outcome.status).toBe('done');
    expect((await serverIds()).sort()).toEqual([phone, v].sort());
    expect((await desk.services.journal.entries()).filter((e) => e.planId === plan.planId)).toEqual([]);
  });

  it('never deletes a local passkey a server may still accept, unless overridden for that action', async () => {
    // No connected account at example.org: nobody can say the site no longer accepts it.
    const other = await desk.services.vault.create({ rpId: 'example.org', userName: 'bob' });
    const id = `delete-local:vault:${other.passkey.credentialId}`;
    const report = await desk.call('reconcile.run', {});
    expect(report.unassigned.map((r) => [r.credentialId, r.status])).toEqual([
      [other.passkey.credentialId, 'unmanaged'],
    ]);
    expect((await desk.call('reconcile.plan', { selection: 'prune' })).steps).toEqual([]);
    const guarded = await desk.call('reconcile.plan', { selection: { actionIds: [id], overrides: [] } });
    expect(guarded.steps).toEqual([]);
    expect(guarded.blocked.map((b) => b.guard)).toEqual(['still-accepted']);
    const forced = await desk.call('reconcile.plan', {
      selection: { actionIds: [id], overrides: [{ actionId: id, guard: 'still-accepted' }] },
    });
    const outcome = await desk.call('reconcile.apply', { planId: forced.planId, confirm: true });
    expect(outcome.steps.map((s) => s.outcome)).toEqual(['done']);
    expect((await desk.services.vault.trash()).map((t) => t.passkey.credentialId)).toEqual([
      other.passkey.credentialId,
    ]);
  });

  it('keeps session tokens out of every file, the journal and every handler result', async () => {
    await revokeDirectly(v);
    const plan = await desk.call('reconcile.plan', { selection: 'prune' });
    await desk.call('reconcile.apply', { planId: plan.planId, confirm: true });
    await desk.call('accounts.list', {});
    await desk.call('accounts.refresh', {});
    await desk.call('journal.list', {});
    const stored = await desk.secrets.get(`session:${account.id}`);
    const token = (JSON.parse(stored ?? '{}') as { token?: string }).token;
    // The reference server's format: issue time, then the secret (server/store/sessions.ts).
    expect(token).toMatch(/^[0-9a-f]{12}\.[A-Za-z0-9_-]{43}$/);
    const secret = token!.split('.')[1]!;
    expect(JSON.stringify(desk.results)).not.toContain(secret);
    const files = await dataFolderText(desk.dataDir);
    expect(files).toContain(account.id); // the files were read
    expect(files).not.toContain(secret);
    // Signing out forgets it: the keyring entry is gone and the server refuses the old token.
    await desk.call('accounts.signOut', { accountId: account.id });
    expect(await desk.secrets.get(`session:${account.id}`)).toBeNull();
    const me = await fetch(`${server.url}/api/account/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);
    await expect(
      desk.call('reconcile.plan', { accountId: account.id, selection: 'prune' }),
    ).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
  });
});
