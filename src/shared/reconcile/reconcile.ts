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
  // Row keys: which credential keys more than one row has (those rows get qualified keys, see rowKeys.ts).
  const { rowKeys, keys } = m;
  const pending = serverRowEntries(ix, ix.placed - m.matchedEntries);
  const server = pending.entries;
  for (let i = 0; i < server.length; i++) rowKeys.addServer(server[i]!.hash);
  for (let i = 0; i < keys.length; i++) rowKeys.settleLocal(i, keys[i]!);
  rowKeys.numberRepeats(inputs.passkeys, keys);
  for (let i = 0; i < server.length; i++) rowKeys.settleServer(server[i]!.key, server[i]!.hash);
  // The row count is known once matching is done: one array of the final size instead of one grown by copying.
  const rows = new Array<ReconcileRow>(inputs.passkeys.length + server.length);
  // About one memoised sentence per row at most: sized once rather than grown (and rehashed) nine times.
  const phrases = new Phrases(rows.length);
  localRows(inputs.passkeys, m, ix, stores, phrases, rows);
  // Exact by construction; setting the length keeps the array dense even if a count were off.
  rows.length = serverRows(pending, ix, stores, phrases, rowKeys, rows, inputs.passkeys.length);
  const accepted = Array.from(ix.accepted, ([accountId, count]) => ({ accountId, count }));
  return { rows, accepted };
}
