/**
 * Plan → confirm → apply, the first part: turning a selection of proposed actions into ordered steps, with the
 * two guards that keep a user from locking themselves out. Guards are judged on the plan as a whole: three
 * revokes that are each "not the last" still cannot together remove every passkey of an account.
 */
import { shortId } from '../model';
import { whoAt } from './explain';
import { stableHash } from './hash';
import { SEP } from './indexes';
import { EXECUTABLE_KINDS } from './types';
import type {
  BlockedAction,
  ExecutableKind,
  Guard,
  Plan,
  PlanSelection,
  PlanStep,
  ProposedAction,
  ReconcileResult,
  ReconcileRow,
  SkippedAction,
} from './types';

interface Candidate {
  row: ReconcileRow;
  action: ProposedAction & { kind: ExecutableKind };
}

function isExecutable(action: ProposedAction): action is ProposedAction & { kind: ExecutableKind } {
  return (EXECUTABLE_KINDS as readonly string[]).includes(action.kind);
}

/** Distinct credentials each account accepts, read back from bare rows (every server credential has a row). */
function acceptedCounts(rows: readonly ReconcileRow[]): Map<string, number> {
  const seen = new Set<string>();
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (row.server === null || row.accountId === null) continue;
    const k = row.accountId + SEP + row.credentialId;
    if (seen.has(k)) continue;
    seen.add(k);
    counts.set(row.accountId, (counts.get(row.accountId) ?? 0) + 1);
  }
  return counts;
}

/** A guarded local delete rides along with "all safe" when its own row's revoke is safe: the plan revokes first. */
function liftedByRevoke(row: ReconcileRow, action: ProposedAction): boolean {
  return (
    action.kind === 'delete-local' &&
    action.guard === 'still-accepted' &&
    row.actions.some((a) => a.kind === 'revoke-server' && a.safe)
  );
}

// No map over every action id on the "all safe" path: at 100,000 rows, hashing each id costs more than the rest.
function select(
  rows: readonly ReconcileRow[],
  selection: PlanSelection | 'all-safe',
  skipped: SkippedAction[],
): Candidate[] {
  const picked: Candidate[] = [];
  if (selection === 'all-safe') {
    for (const row of rows) {
      for (const action of row.actions) {
        if (isExecutable(action) && (action.safe || liftedByRevoke(row, action)))
          picked.push({ row, action });
      }
    }
    return picked;
  }
  const wanted = new Set(selection.actionIds);
  const found = new Set<string>();
  const manual = new Set<string>();
  for (const row of rows) {
    for (const action of row.actions) {
      if (!wanted.has(action.id) || found.has(action.id)) continue;
      if (isExecutable(action)) {
        found.add(action.id);
        picked.push({ row, action });
      } else manual.add(action.id);
    }
  }
  for (const id of wanted) {
    if (found.has(id)) continue;
    skipped.push({
      actionId: id,
      reason: manual.has(id)
        ? 'This is done by hand in the store or by connecting the account; it is not a plan step.'
        : 'No such action in this reconcile; it may be fixed already. Reconcile again.',
    });
  }
  return picked;
}

function revokeOrder(c: Candidate): number {
  // Spend the account's spare credentials on real orphans first; a working duplicate is the one to keep last.
  return c.row.status === 'server-orphan' ? 0 : c.row.status === 'duplicate' ? 1 : 2;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byActionId = (a: { actionId: string }, b: { actionId: string }): number => cmp(a.actionId, b.actionId);

function step(c: Candidate, overridden: Guard | null, dependsOn: string[]): PlanStep {
  const { action, row } = c;
  return {
    actionId: action.id,
    kind: action.kind,
    rowKey: row.key,
    target: action.target,
    effect: action.effect,
    undoable: action.undoable,
    overridden,
    dependsOn,
    premise:
      action.kind === 'revoke-server' && row.status === 'server-orphan' && row.store !== null
        ? { goneFrom: row.store }
        : null,
  };
}

export function buildPlan(
  input: ReconcileResult | readonly ReconcileRow[],
  selection: PlanSelection | 'all-safe',
): Plan {
  const rows = 'rows' in input ? input.rows : input;
  const overrides = new Map<string, Set<Guard>>();
  if (selection !== 'all-safe') {
    for (const o of selection.overrides) {
      const set = overrides.get(o.actionId) ?? new Set<Guard>();
      set.add(o.guard);
      overrides.set(o.actionId, set);
    }
  }
  const overridden = (id: string, guard: Guard): boolean => overrides.get(id)?.has(guard) ?? false;

  const skipped: SkippedAction[] = [];
  const blocked: BlockedAction[] = [];
  const picked = select(rows, selection, skipped);

  // Revokes, counted per account across the whole plan.
  const remaining =
    'rows' in input ? new Map(input.accepted.map((a) => [a.accountId, a.count])) : acceptedCounts(rows);
  const revokes: PlanStep[] = [];
  const revokedBy = new Map<string, string>();
  const revokeCandidates = picked.filter((c) => c.action.kind === 'revoke-server');
  revokeCandidates.sort((a, b) => revokeOrder(a) - revokeOrder(b) || cmp(a.action.id, b.action.id));
  for (const c of revokeCandidates) {
    const account = c.action.target.accountId ?? '';
    const left = remaining.get(account) ?? 0;
    let over: Guard | null = null;
    if (left <= 1) {
      if (!overridden(c.action.id, 'last-passkey')) {
        blocked.push({
          actionId: c.action.id,
          guard: 'last-passkey',
          reason:
            `This would leave ${whoAt(c.row.userName, c.row.rpId)} with no passkey the server accepts` +
            (left < 1 ? ' (the rest of this plan already revokes the others)' : '') +
            '. Keep it, or override this action if you sign in another way.',
        });
        continue;
      }
      over = 'last-passkey';
    }
    remaining.set(account, left - 1);
    revokedBy.set(account + SEP + c.action.target.credentialId, c.action.id);
    revokes.push(step(c, over, []));
  }

  const early: PlanStep[] = [];
  const late: PlanStep[] = [];
  for (const c of picked) {
    const { action, row } = c;
    if (action.kind === 'revoke-server') continue;
    if (action.kind !== 'delete-local' || action.guard !== 'still-accepted') {
      early.push(step(c, null, []));
      continue;
    }
    const revoke = row.accountId === null ? undefined : revokedBy.get(row.accountId + SEP + row.credentialId);
    if (revoke !== undefined) late.push(step(c, null, [revoke]));
    else if (overridden(action.id, 'still-accepted')) early.push(step(c, 'still-accepted', []));
    else {
      const who = whoAt(row.userName, row.rpId);
      blocked.push({
        actionId: action.id,
        guard: 'still-accepted',
        reason:
          row.accountId === null
            ? `No connected account can confirm that ${row.rpId} no longer accepts this passkey; deleting it could lock you out. Connect the account, or override this action.`
            : `The server for ${who} still accepts this passkey; deleting it only here could lock you out and leaves a passkey on the server that no device holds. Revoke it on the server in the same plan, or override this action.`,
      });
    }
  }

  // Local deletes first (each undoable or harmless), then records and renames, then revokes, then the deletes
  // that wait for a revoke: a failed revoke must leave the working passkey in place.
  const rank = (s: PlanStep): number => (s.kind === 'delete-local' ? 0 : s.kind === 'mark-deleted' ? 1 : 2);
  early.sort((a, b) => rank(a) - rank(b) || byActionId(a, b));
  late.sort(byActionId);
  const steps = [...early, ...revokes, ...late];
  blocked.sort(byActionId);
  skipped.sort(byActionId);
  const id = stableHash(JSON.stringify(steps.map((s) => [s.actionId, s.overridden, s.dependsOn])));
  return { id, steps, blocked, skipped };
}

/** The dry run: what the plan would do, one line per step, without doing any of it. */
export function describePlan(plan: Plan): string[] {
  const lines = plan.steps.map(
    (s, i) =>
      `${i + 1}. [${shortId(s.target.credentialId)}] ${s.effect}${s.overridden ? ` (guard "${s.overridden}" overridden)` : ''}${s.undoable ? '' : ' [cannot be undone]'}`,
  );
  for (const b of plan.blocked) lines.push(`Blocked (${b.guard}): ${b.reason}`);
  for (const s of plan.skipped) lines.push(`Skipped ${s.actionId}: ${s.reason}`);
  return lines;
}
