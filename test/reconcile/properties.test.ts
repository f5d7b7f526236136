/**
 * Property tests of the engine over small random inventories: a small pool of IDs, RPs, users and stores so
 * that matches, duplicates, shadowing and marks actually happen.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PASSKEY_DESK_AAGUID } from '../../src/shared/aaguid';
import type { Passkey, StoreInfo } from '../../src/shared/model';
import { applyPlanToInputs, buildPlan, credentialKey, reconcile } from '../../src/shared/reconcile';
import type {
  ConnectedAccount,
  DeletionMark,
  ReconcileInputs,
  ReconcileResult,
} from '../../src/shared/reconcile';
import { cred, id, passkey, store } from './fixtures';

const IDS = Array.from({ length: 10 }, (_, i) => id(i + 1));
const RPS = ['a.example', 'b.example'];
const HANDLES = ['dXNlci0x', 'dXNlci0y'];
const STORES: StoreInfo[] = [
  store('vault', 'vault'),
  store('windows-hello', 'windows-hello'),
  store('export:1', 'export'),
  store('security-key:1', 'security-key', { complete: false, status: 'needs-pin' }),
];
const AAGUIDS = [null, PASSKEY_DESK_AAGUID, 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd'];
const toStd = (b64url: string): string => Buffer.from(b64url, 'base64url').toString('base64');

const arbPasskey = fc
  .record({
    id: fc.nat(IDS.length - 1),
    store: fc.nat(STORES.length - 1),
    rp: fc.nat(RPS.length - 1),
    handle: fc.option(fc.nat(HANDLES.length - 1), { nil: null }),
    used: fc.option(fc.integer({ min: 1, max: 9 }), { nil: null }),
    std: fc.boolean(),
    // Spelled differently from the account (RP in capitals, another user name): words must follow it.
    shouty: fc.boolean(),
    renamed: fc.boolean(),
  })
  .map(({ id: i, store: s, rp, handle, used, std, shouty, renamed }): Passkey => {
    const st = STORES[s]!;
    return passkey(std ? toStd(IDS[i]!) : IDS[i]!, {
      store: st.id,
      storeKind: st.kind,
      rpId: shouty ? RPS[rp]!.toUpperCase() : RPS[rp]!,
      userHandle: handle === null ? null : HANDLES[handle]!,
      // One name per handle (or its variant), so that a passkey without a handle can still be linked by name.
      userName: `user${handle ?? 0}${renamed ? ' (old)' : ''}`,
      lastUsedAt: used === null ? null : `2025-0${used}-01T00:00:00Z`,
    });
  });

const arbAccount = (n: number): fc.Arbitrary<ConnectedAccount> =>
  fc
    .record({
      rp: fc.nat(RPS.length - 1),
      handle: fc.nat(HANDLES.length - 1),
      // Repeats allowed: a server may list one ID twice, with different details.
      creds: fc.array(
        fc.record({
          id: fc.nat(IDS.length - 1),
          aaguid: fc.constantFrom(...AAGUIDS),
          named: fc.boolean(),
          std: fc.boolean(),
          provider: fc.constantFrom(null, 'Prov'),
        }),
        { maxLength: 6 },
      ),
    })
    .map(({ rp, handle, creds }) => ({
      accountId: `acct-${n}`,
      rpId: RPS[rp]!,
      userHandle: HANDLES[handle]!,
      userName: `user${handle}`,
      serverUrl: `https://${RPS[rp]!}`,
      credentials: creds.map((c) =>
        cred(c.std ? toStd(IDS[c.id]!) : IDS[c.id]!, {
          aaguid: c.aaguid,
          name: c.named ? 'named' : null,
          providerName: c.provider,
        }),
      ),
    }));

const arbMark = fc
  .record({ id: fc.option(fc.nat(IDS.length - 1), { nil: null }), rp: fc.nat(RPS.length - 1) })
  .map(({ id: i, rp }): DeletionMark => ({
    rpId: RPS[rp]!,
    credentialId: i === null ? null : IDS[i]!,
    userHandle: null,
    store: 'guided:apple',
    markedAt: '2025-06-01T00:00:00Z',
  }));

const arbInputs: fc.Arbitrary<ReconcileInputs> = fc
  .record({
    // Repeats allowed: an export may list one credential twice, at one RP or at two.
    passkeys: fc.array(arbPasskey, { maxLength: 14 }),
    accounts: fc.tuple(arbAccount(1), arbAccount(2), arbAccount(3)).chain((all) => fc.subarray(all)),
    marks: fc.array(arbMark, { maxLength: 3 }),
    // IDs the vault held once (trash, purged), in any spelling the inputs use; now and then another store's.
    retired: fc.array(
      fc.record({
        store: fc.constantFrom('vault', 'vault', 'windows-hello'),
        rpId: fc.constantFrom(...RPS),
        credentialId: fc.constantFrom(...IDS),
      }),
      { maxLength: 4 },
    ),
  })
  .map((x) => ({ ...x, stores: STORES }));

/** A comparable, order-free picture of a result. */
function picture(result: ReconcileResult): string[] {
  return result.rows
    .map((r) =>
      JSON.stringify([
        r.key,
        r.status,
        r.accountId,
        r.store,
        r.title,
        r.explanation,
        r.actions.map((a) => [a.id, a.kind, a.safe, a.guard, a.effect]),
      ]),
    )
    .sort();
}

function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('reconcile properties', () => {
  it('every passkey is in exactly one row, every server credential in exactly one place', () => {
    fc.assert(
      fc.property(arbInputs, (input) => {
        const { rows } = reconcile(input);
        for (const p of input.passkeys) expect(rows.filter((r) => r.local === p)).toHaveLength(1);
        for (const a of input.accounts) {
          for (const c of a.credentials) {
            const k = credentialKey(c.credentialId);
            const own = rows.filter(
              (r) => r.local === null && r.accountId === a.accountId && r.credentialId === k,
            ).length;
            const local = rows.filter(
              (r) =>
                r.local !== null && r.accountId === a.accountId && r.credentialId === k && r.server !== null,
            ).length;
            // Either its own row, or carried by the local rows that hold it: never both, never neither.
            expect(own === 1 ? local : own === 0 && local > 0 ? 0 : -1).toBe(0);
          }
        }
        expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
        const ids = rows.flatMap((r) => r.actions.map((x) => x.id));
        expect(new Set(ids).size).toBe(ids.length);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on input order', () => {
    fc.assert(
      fc.property(arbInputs, fc.integer(), (input, seed) => {
        const shuffled: ReconcileInputs = {
          passkeys: shuffle(input.passkeys, seed),
          stores: shuffle(input.stores, seed + 1),
          accounts: shuffle(input.accounts, seed + 2).map((a) => ({
            ...a,
            credentials: shuffle(a.credentials, seed + 3),
          })),
          marks: shuffle(input.marks, seed + 4),
          retired: shuffle(input.retired, seed + 5),
        };
        expect(picture(reconcile(shuffled))).toEqual(picture(reconcile(input)));
        expect(buildPlan(reconcile(shuffled), 'all-safe').id).toBe(
          buildPlan(reconcile(input), 'all-safe').id,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent: after the all-safe plan, reconciling again leaves nothing safe to do', () => {
    fc.assert(
      fc.property(arbInputs, (input) => {
        const plan = buildPlan(reconcile(input), 'all-safe');
        const again = buildPlan(reconcile(applyPlanToInputs(input, plan)), 'all-safe');
        expect(again.steps).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('a plan never removes the last accepted credential of an account without an override', () => {
    fc.assert(
      fc.property(arbInputs, fc.integer(), (input, seed) => {
        const result = reconcile(input);
        // Select every executable action, in any order, with no override.
        const all = shuffle(
          result.rows.flatMap((r) => r.actions.map((a) => a.id)),
          seed,
        );
        const after = applyPlanToInputs(input, buildPlan(result, { actionIds: all, overrides: [] }));
        after.accounts.forEach((a, i) => {
          if (input.accounts[i]!.credentials.length > 0) expect(a.credentials.length).toBeGreaterThan(0);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('never deletes a passkey the server accepts without revoking it first or an override', () => {
    fc.assert(
      fc.property(arbInputs, (input) => {
        const result = reconcile(input);
        const all = result.rows.flatMap((r) => r.actions.map((a) => a.id));
        const plan = buildPlan(result, { actionIds: all, overrides: [] });
        const revoked = new Set(plan.steps.filter((s) => s.kind === 'revoke-server').map((s) => s.actionId));
        for (const s of plan.steps) {
          if (s.kind !== 'delete-local') continue;
          const row = result.rows.find((r) => r.key === s.rowKey)!;
          if (row.server !== null || row.accountId === null)
            expect(s.dependsOn.length > 0 && s.dependsOn.every((d) => revoked.has(d))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
