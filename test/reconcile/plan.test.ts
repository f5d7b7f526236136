import { describe, expect, it } from 'vitest';
import { PASSKEY_DESK_AAGUID } from '../../src/shared/aaguid';
import { shortId } from '../../src/shared/model';
import { applyPlanToInputs, buildPlan, describePlan, reconcile } from '../../src/shared/reconcile';
import type { ReconcileInputs } from '../../src/shared/reconcile';
import { account, cred, gone, id, inputs, passkey } from './fixtures';

const OURS = { aaguid: PASSKEY_DESK_AAGUID };
const [A, B, C, D] = [id(1), id(2), id(3), id(4)];

/** Three server credentials whose vault passkeys are gone: all server-orphans, each "not the last" alone. */
function threeOrphans(): ReconcileInputs {
  return inputs({
    accounts: [account([cred(A, OURS), cred(B, OURS), cred(C, OURS)])],
    retired: [gone(A), gone(B), gone(C)],
  });
}

describe('buildPlan: guards', () => {
  it('never revokes every credential of an account, counting across the plan', () => {
    const result = reconcile(threeOrphans());
    expect(result.rows.every((r) => r.actions[0]?.safe)).toBe(true);
    const plan = buildPlan(result, 'all-safe');
    expect(plan.steps.map((s) => s.kind)).toEqual(['revoke-server', 'revoke-server']);
    expect(plan.blocked).toHaveLength(1);
    expect(plan.blocked[0]).toMatchObject({ guard: 'last-passkey' });
    expect(plan.blocked[0]!.reason).toContain('no passkey the server accepts');
  });

  it('revokes the last one only with the override for that very action', () => {
    const result = reconcile(threeOrphans());
    const ids = result.rows.map((r) => r.actions[0]!.id);
    const withoutOverride = buildPlan(result, { actionIds: ids, overrides: [] });
    const blockedId = withoutOverride.blocked[0]!.actionId;
    const other = ids.find((x) => x !== blockedId)!;
    // Overriding another action, or the other guard, does not lift it.
    expect(
      buildPlan(result, { actionIds: ids, overrides: [{ actionId: other, guard: 'last-passkey' }] }).blocked,
    ).toHaveLength(1);
    expect(
      buildPlan(result, { actionIds: ids, overrides: [{ actionId: blockedId, guard: 'still-accepted' }] })
        .blocked,
    ).toHaveLength(1);
    const plan = buildPlan(result, {
      actionIds: ids,
      overrides: [{ actionId: blockedId, guard: 'last-passkey' }],
    });
    expect(plan.blocked).toEqual([]);
    expect(plan.steps).toHaveLength(3);
    expect(plan.steps.find((s) => s.actionId === blockedId)?.overridden).toBe('last-passkey');
  });

  it('spends spare credentials on orphans before a working duplicate', () => {
    // B and C are duplicates in the vault (both accepted); A is a server-orphan. Only two may go.
    const input = inputs({
      passkeys: [passkey(B, { lastUsedAt: '2025-05-01T00:00:00Z' }), passkey(C)],
      accounts: [account([cred(A, OURS), cred(B), cred(C)])],
      retired: [gone(A)],
    });
    const plan = buildPlan(reconcile(input), 'all-safe');
    expect(plan.steps.map((s) => `${s.kind}:${s.target.credentialId}`)).toEqual([
      `revoke-server:${A}`,
      `revoke-server:${C}`,
      `delete-local:${C}`,
    ]);
    expect(plan.steps[2]!.dependsOn).toEqual([plan.steps[1]!.actionId]);
  });

  it('blocks deleting a passkey the server still accepts unless revoked in the plan or overridden', () => {
    const input = inputs({
      passkeys: [passkey(A), passkey(B)],
      accounts: [account([cred(A), cred(B), cred(C)])],
    });
    const result = reconcile(input);
    const dup = result.rows.find((r) => r.status === 'duplicate')!;
    const del = dup.actions.find((a) => a.kind === 'delete-local')!;
    const revoke = dup.actions.find((a) => a.kind === 'revoke-server')!;
    expect(buildPlan(result, { actionIds: [del.id], overrides: [] }).blocked[0]).toMatchObject({
      actionId: del.id,
      guard: 'still-accepted',
    });
    const overridden = buildPlan(result, {
      actionIds: [del.id],
      overrides: [{ actionId: del.id, guard: 'still-accepted' }],
    });
    expect(overridden.steps[0]).toMatchObject({ actionId: del.id, overridden: 'still-accepted' });
    const both = buildPlan(result, { actionIds: [del.id, revoke.id], overrides: [] });
    expect(both.steps.map((s) => s.kind)).toEqual(['revoke-server', 'delete-local']);
    expect(both.steps[1]!.dependsOn).toEqual([revoke.id]);
  });

  it('reports unknown and manual action ids as skipped, never as steps', () => {
    const result = reconcile(
      inputs({ accounts: [account([cred(A, { aaguid: 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd' })])] }),
    );
    const open = result.rows[0]!.actions.find((a) => a.kind === 'open-store')!;
    const plan = buildPlan(result, { actionIds: [open.id, 'revoke-server:nope:x'], overrides: [] });
    expect(plan.steps).toEqual([]);
    expect(plan.skipped.map((s) => s.actionId).sort()).toEqual([open.id, 'revoke-server:nope:x'].sort());
  });

  it('never picks mark-deleted for "all safe": only the user knows it is true', () => {
    const result = reconcile(inputs({ accounts: [account([cred(A), cred(B)])] }));
    expect(buildPlan(result, 'all-safe').steps.some((s) => s.kind === 'mark-deleted')).toBe(false);
  });
});

describe('buildPlan: determinism, dry run, apply', () => {
  const input = inputs({
    passkeys: [passkey(D), passkey(A, { store: 'windows-hello', storeKind: 'windows-hello' })],
    accounts: [account([cred(A, { name: null }), cred(B, OURS), cred(C, OURS)])],
    retired: [gone(B), gone(C)],
  });

  it('gives the same id for the same plan, whatever the input order', () => {
    const p1 = buildPlan(reconcile(input), 'all-safe');
    const p2 = buildPlan(reconcile({ ...input, passkeys: [...input.passkeys].reverse() }), 'all-safe');
    expect(p1.id).toBe(p2.id);
    expect(p1.id).toMatch(/^[0-9a-f]{16}$/);
    expect(buildPlan(reconcile(input), { actionIds: [], overrides: [] }).id).not.toBe(p1.id);
  });

  it('orders local deletes, then renames, then revokes', () => {
    const plan = buildPlan(reconcile(input), 'all-safe');
    // A stays (it works in Windows Hello), so both orphans may go.
    expect(plan.steps.map((s) => s.kind)).toEqual([
      'delete-local',
      'rename-server',
      'revoke-server',
      'revoke-server',
    ]);
    expect(plan.blocked).toEqual([]);
    const lines = describePlan(plan);
    // Each line names its passkey (shortened): the effect names only the account, which may have several.
    expect(lines[0]).toBe(`1. [${shortId(plan.steps[0]!.target.credentialId)}] ${plan.steps[0]!.effect}`);
    expect(lines[0]).toMatch(/^1\. \[\S+\] Deletes this passkey .* trash/);
    expect(lines[3]).toContain('[cannot be undone]');
    expect(
      describePlan(buildPlan(reconcile(threeOrphans()), 'all-safe')).some((l) =>
        l.startsWith('Blocked (last-passkey)'),
      ),
    ).toBe(true);
  });

  it('applying the plan fixes what it planned, and a second plan is empty', () => {
    const plan = buildPlan(reconcile(input), 'all-safe');
    const after = applyPlanToInputs(input, plan);
    expect(after.passkeys.map((p) => p.credentialId)).toEqual([A]);
    expect(after.accounts[0]!.credentials.find((c) => c.credentialId === A)?.name).toBe('windows-hello');
    expect(after.accounts[0]!.credentials).toHaveLength(1);
    expect(buildPlan(reconcile(after), 'all-safe').steps).toEqual([]);
  });

  it('records a mark, after which the credential becomes a server-orphan to revoke', () => {
    const start = inputs({ accounts: [account([cred(A), cred(B)])] });
    const result = reconcile(start);
    const markA = result.rows
      .find((r) => r.credentialId === A)!
      .actions.find((a) => a.kind === 'mark-deleted')!;
    const after = applyPlanToInputs(
      start,
      buildPlan(result, { actionIds: [markA.id], overrides: [] }),
      '2026-01-01T00:00:00Z',
    );
    expect(after.marks).toHaveLength(1);
    expect(reconcile(after).rows.find((r) => r.credentialId === A)?.status).toBe('server-orphan');
  });
});
