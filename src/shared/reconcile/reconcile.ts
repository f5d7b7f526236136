/**
 * The reconcile engine: the inventory plus each connected account's server list in, one row per passkey out.
 * Pure and linear: one pass to index the server side, two over the local passkeys, one over the unmatched server
 * credentials. Rows come out in no promised order; callers sort for display.
 */
import { buildIndexes } from './indexes';
import { localRows } from './localRows';
import { Phrases } from './phrases';
import { serverRows } from './serverRows';
import type { ReconcileInputs, ReconcileResult, ReconcileRow } from './types';

export function reconcile(inputs: ReconcileInputs): ReconcileResult {
  const ix = buildIndexes(inputs);
  const rows: ReconcileRow[] = [];
  const phrases = new Phrases();
  localRows(inputs.passkeys, ix, phrases, rows);
  serverRows(ix, phrases, rows);
  const accepted = [...ix.accepted].map(([accountId, count]) => ({ accountId, count }));
  return { rows, accepted };
}
