/**
 * The engine's rows grouped per connected account, for the account screen and `reconcile --json`. An account
 * whose server could not be read keeps the local passkeys of its user at its RP (status unmanaged, worded as not
 * compared), with the error.
 */
import type { AccountReconcile, ReconcileReport } from '../../shared/contract/accounts';
import { credentialKey, rpKey } from './keys';
import type { ReconcileResult, ReconcileRow } from '../../shared/reconcile';
import { summarise } from '../../shared/reconcile';
import type { AccountState } from './gather';

function belongsToFailed(row: ReconcileRow, s: AccountState): boolean {
  return (
    row.accountId === null &&
    rpKey(row.rpId) === rpKey(s.record.rpId) &&
    row.userHandle !== null &&
    row.userHandle === credentialKey(s.record.userHandle)
  );
}

/**
 * A passkey of an account whose server could not be read: the engine saw no account for it (`unmanaged`, its
 * delete still guarded), but "no connected account" would be wrong here. It says what it is instead.
 */
function notCompared(row: ReconcileRow, s: AccountState): ReconcileRow {
  return {
    ...row,
    title: 'Not compared: the account could not be read',
    explanation: `Passkey Desk could not read ${s.record.serverUrl} just now (${s.error?.message ?? 'no answer'}), so it cannot tell whether the server still accepts this passkey for ${s.record.userName}. Fix that, then reconcile again.`,
  };
}

export function buildReport(
  result: ReconcileResult,
  states: readonly AccountState[],
  readAt: string,
  onlyAccount: boolean,
): ReconcileReport {
  const taken = new Set<ReconcileRow>();
  const accounts: AccountReconcile[] = states.map((s) => {
    const own = result.rows.filter((r) => (s.ok ? r.accountId === s.record.id : belongsToFailed(r, s)));
    for (const r of own) taken.add(r);
    const rows = s.ok ? own : own.map((r) => notCompared(r, s));
    const accepted = result.accepted.find((a) => a.accountId === s.record.id)?.count ?? (s.ok ? 0 : null);
    const summary = summarise({ rows, accepted: result.accepted })[0] ?? {
      accountId: s.record.id,
      counts: { synced: 0, 'local-orphan': 0, 'server-orphan': 0, elsewhere: 0, duplicate: 0, unmanaged: 0 },
      total: 0,
      fixable: 0,
    };
    return {
      accountId: s.record.id,
      serverUrl: s.record.serverUrl,
      rpId: s.record.rpId,
      userName: s.record.userName,
      ok: s.ok,
      error: s.error,
      accepted,
      summary: { ...summary, accountId: s.record.id },
      rows,
    };
  });
  const unassigned = onlyAccount ? [] : result.rows.filter((r) => !taken.has(r) && r.accountId === null);
  return { readAt, accounts, unassigned };
}
