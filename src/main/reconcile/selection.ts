/**
 * Turning a named selection ('prune', 'all-safe') plus per-action overrides into the engine's explicit
 * selection. 'prune' is the cleanup the CLI's `prune` runs: safe deletes and revokes only (no renames, no
 * "deleted there" marks, which rest on facts only the user knows), plus the guarded ones of orphan and duplicate
 * rows, which the engine then lists as blocked with the reason — a user sees why an orphan stays.
 */
import { PasskeyDeskError } from '../../shared/errors';
import type { Guard, PlanSelection, ProposedAction, ReconcileRow } from '../../shared/reconcile';
import { EXECUTABLE_KINDS } from '../../shared/reconcile';

export type NamedSelection = 'prune' | 'all-safe';

const PRUNE_KINDS = new Set(['delete-local', 'revoke-server']);

/** The engine's own rule for "all safe": safe, or a guarded local delete made safe by its row's safe revoke. */
function picked(row: ReconcileRow, a: ProposedAction): boolean {
  if (!(EXECUTABLE_KINDS as readonly string[]).includes(a.kind)) return false;
  if (a.safe) return true;
  return (
    a.kind === 'delete-local' &&
    a.guard === 'still-accepted' &&
    row.actions.some((b) => b.kind === 'revoke-server' && b.safe)
  );
}

/** Rows whose deletes and revokes prune offers even when guarded, so the plan shows them as blocked and why. */
const ORPHANS = new Set(['local-orphan', 'server-orphan', 'duplicate']);

export function namedActionIds(rows: readonly ReconcileRow[], name: NamedSelection): string[] {
  const ids: string[] = [];
  for (const row of rows) {
    for (const a of row.actions) {
      if (
        name === 'all-safe'
          ? picked(row, a)
          : PRUNE_KINDS.has(a.kind) && (picked(row, a) || ORPHANS.has(row.status))
      )
        ids.push(a.id);
    }
  }
  return ids;
}

export function toSelection(
  rows: readonly ReconcileRow[],
  selection: NamedSelection | PlanSelection,
  overrides: readonly { actionId: string; guard: Guard }[] = [],
): PlanSelection | 'all-safe' {
  if (typeof selection !== 'string')
    return { actionIds: selection.actionIds, overrides: [...selection.overrides, ...overrides] };
  if (selection === 'all-safe' && overrides.length === 0) return 'all-safe';
  const known = new Set<string>();
  for (const row of rows) for (const a of row.actions) known.add(a.id);
  const unknown = overrides.find((o) => !known.has(o.actionId));
  if (unknown) {
    throw new PasskeyDeskError(
      'NOT_FOUND',
      `No action "${unknown.actionId}" in this reconcile (to override its ${unknown.guard} guard). The current action ids are in \`passkey-desk reconcile --json\` (and in the plan \`passkey-desk prune\` prints for a blocked action).`,
    );
  }
  const ids = new Set(namedActionIds(rows, selection));
  for (const o of overrides) ids.add(o.actionId);
  return { actionIds: [...ids], overrides: [...overrides] };
}
