/**
 * Counts per account and status: what the account list and `passkey-desk reconcile --summary` show.
 */
import type { AccountSummary, ReconcileResult, ReconcileStatus } from './types';

function zero(): Record<ReconcileStatus, number> {
  return { synced: 0, 'local-orphan': 0, 'server-orphan': 0, elsewhere: 0, duplicate: 0, unmanaged: 0 };
}

/** One entry per account id (null for rows no account covers), sorted by account id, null last. */
export function summarise(result: ReconcileResult): AccountSummary[] {
  const by = new Map<string | null, AccountSummary>();
  for (const row of result.rows) {
    let s = by.get(row.accountId);
    if (s === undefined) {
      s = { accountId: row.accountId, counts: zero(), total: 0, fixable: 0 };
      by.set(row.accountId, s);
    }
    s.counts[row.status]++;
    s.total++;
    if (row.actions.some((a) => a.safe)) s.fixable++;
  }
  return [...by.values()].sort((a, b) =>
    a.accountId === b.accountId
      ? 0
      : a.accountId === null
        ? 1
        : b.accountId === null
          ? -1
          : a.accountId < b.accountId
            ? -1
            : 1,
  );
}
