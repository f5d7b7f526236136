/**
 * What the account checks read: one connected account, the reconcile result over this machine's inventory and
 * that account, the stores, and the OS. Built in main (src/main/doctor/accounts.ts); pure from here on.
 */
import type { StoreInfo, TrashEntry } from '../model';
import { buildPlan } from '../reconcile';
import type {
  ConnectedAccount,
  ExecutableKind,
  ProposedAction,
  ReconcileResult,
  ReconcileRow,
} from '../reconcile';
import { shortId } from '../model';
import type { Evidence, PlanFix } from './types';

export interface AccountFacts {
  account: ConnectedAccount;
  result: ReconcileResult;
  stores: readonly StoreInfo[];
  platform: string;
  /** The vault's trash: passkeys deleted here that `passkey-desk vault restore` (the app's Trash) brings back. */
  trash: readonly TrashEntry[];
}

/** The rows of this account: its server credentials and the local passkeys matched to it. */
export function accountRows(facts: AccountFacts): ReconcileRow[] {
  return facts.result.rows.filter((r) => r.accountId === facts.account.accountId);
}

export function who(facts: AccountFacts): string {
  return `${facts.account.userName} on ${facts.account.rpId}`;
}

export function storeLabel(facts: AccountFacts, storeId: string | null): string {
  if (storeId === null) return 'no store';
  return facts.stores.find((s) => s.id === storeId)?.label ?? storeId;
}

export function credentialEvidence(facts: AccountFacts, row: ReconcileRow): Evidence {
  const where = row.local
    ? storeLabel(facts, row.store)
    : row.server?.providerName
      ? `server only (made by ${row.server.providerName})`
      : 'server only';
  return { label: `Passkey ${shortId(row.credentialId)}`, value: `${row.status} — ${where}` };
}

/**
 * A fix as a plan over the reconcile machinery: the rows' executable actions that need no fact only the user
 * knows (no marks) and no renames, passed through the engine's own guards. Null when nothing survives the guards.
 */
export function planFix(
  facts: AccountFacts,
  rows: readonly ReconcileRow[],
  label: string,
  kinds: readonly ExecutableKind[] = ['delete-local', 'revoke-server'],
): PlanFix | null {
  const picked: ProposedAction[] = rows.flatMap((r) =>
    r.actions.filter((a) => (kinds as readonly string[]).includes(a.kind)),
  );
  if (picked.length === 0) return null;
  const selection = { actionIds: [...new Set(picked.map((a) => a.id))], overrides: [] };
  const plan = buildPlan(facts.result, selection);
  if (plan.steps.length === 0) return null;
  const runnable = new Set(plan.steps.map((s) => s.actionId));
  return {
    kind: 'plan',
    label,
    accountId: facts.account.accountId,
    selection: { actionIds: selection.actionIds.filter((id) => runnable.has(id)), overrides: [] },
    effects: plan.steps.map((s) => s.effect),
  };
}
