/**
 * The reconcile engine: the inventory plus each connected account's server list in, one row per passkey out.
 * Pure and linear: one pass to index the server side, two over the local passkeys, one over the unmatched server
 * credentials. Rows come out in no promised order; callers sort for display.
 */
import { buildIndexes } from './indexes';
import { localRows } from './localRows';
import { match } from './match';
import { Phrases } from './phrases';
import { serverRowEntries, serverRows } from './serverRows';
import { StoreTable } from './stores';
import type { ReconcileInputs, ReconcileResult, ReconcileRow } from './types';

export function reconcile(inputs: ReconcileInputs): ReconcileResult {
  const ix = buildIndexes(inputs);
  const stores = new StoreTable(ix.stores);
  const m = match(inputs.passkeys, ix, stores);
  const pending = serverRowEntries(ix, ix.placed - m.matchedEntries);
  // Which credential keys more than one row has: those rows get qualified keys (rowKeys.ts).
  m.rowKeys.settle(inputs.passkeys, m.keys, pending.entries);
  // The row count is known once matching is done: one array of the final size instead of one grown by copying.
  const rows = new Array<ReconcileRow>(inputs.passkeys.length + pending.entries.length);
  // About one memoised sentence per row at most: sized once rather than grown (and rehashed) nine times.
  const phrases = new Phrases(rows.length);
  localRows(inputs.passkeys, m, ix, stores, phrases, rows);
  // Exact by construction; setting the length keeps the array dense even if a count were off.
  rows.length = serverRows(pending, ix, stores, phrases, m.rowKeys, rows, inputs.passkeys.length);
  const accepted = Array.from(ix.accepted, ([accountId, count]) => ({ accountId, count }));
  return { rows, accepted };
}
