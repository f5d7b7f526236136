/**
 * One row per server credential that no local passkey matched: server-orphan or elsewhere. Which store "should
 * hold" it is decided only from what can be known here: the vault, read completely, once held it (our AAGUID,
 * and its ID among the vault's retired ones: every Passkey Desk has that AAGUID, so the AAGUID alone would call
 * another computer's passkey an orphan), or the user's mark that it was deleted in a store we cannot read.
 * Anything else is `elsewhere`, because calling a passkey an orphan on a guess would invite revoking one that
 * still works on a phone or another computer.
 */
import { PASSKEY_DESK_AAGUID } from '../aaguid';
import { lowerCase } from './credentialKey';
import {
  markDeleted,
  markEffect,
  openEffect,
  openStore,
  renameEffect,
  renameServer,
  revokeEffect,
  revokeServer,
} from './actions';
import {
  elsewhereWords,
  otherDeskWords,
  serverOrphanWords,
  syncedWords,
  trashedWords,
  whoAt,
} from './explain';
import type { Words } from './explain';
import { SEP, findMark, lookupServer, wasRetired } from './indexes';
import type { Indexes, ServerEntry } from './indexes';
import {
  ELSEWHERE,
  MARKED,
  MARK_TEXT,
  OPEN_TEXT,
  RENAME_TEXT,
  REVOKE_TEXT,
  SERVER_ORPHAN,
  TRASHED,
} from './phrases';
import type { Phrases } from './phrases';
import type { RowKeys } from './rowKeys';
import type { StoreTable } from './stores';
import type { ProposedAction, ReconcileRow, ReconcileStatus } from './types';
import type { Passkey, StoreInfo, StoreKind } from '../model';

const OTHER_STORE = 'guided:other';
/** Where a passkey with our AAGUID that this vault never held lives, and its memo key (not a provider name). */
const OTHER_DESK = 'Passkey Desk on another computer';
const OTHER_DESK_KEY = '\u0000other-desk';

function readable(store: StoreInfo): boolean {
  return store.status === 'available' && store.complete;
}

function row(
  entry: ServerEntry,
  status: ReconcileStatus,
  store: string | null,
  storeKind: StoreKind | null,
  words: Words,
  actions: readonly ProposedAction[],
  rowKeys: RowKeys,
): ReconcileRow {
  const { acct, credential, key } = entry;
  const account = acct.account;
  return {
    key: rowKeys.bareServer(key, entry.hash) ? key : acct.rowPrefix + key,
    accountId: account.accountId,
    rpId: account.rpId,
    userHandle: acct.handle,
    userName: account.userName,
    credentialId: key,
    store,
    storeKind,
    status,
    title: words.title,
    explanation: words.explanation,
    actions,
    local: null,
    server: credential,
  };
}

function revokeFor(entry: ServerEntry, stores: StoreTable, phrases: Phrases): ProposedAction {
  const { acct } = entry;
  const cell = phrases.find(acct.owner, stores.blank.index, REVOKE_TEXT);
  const effect = phrases.text(cell) ?? phrases.put(cell, revokeEffect(acct.who, acct.account.serverUrl));
  return revokeServer(acct, entry.key, effect);
}

function decide(
  entry: ServerEntry,
  ix: Indexes,
  stores: StoreTable,
  phrases: Phrases,
  rowKeys: RowKeys,
): ReconcileRow {
  const { acct, credential, key } = entry;
  const account = acct.account;
  const who = acct.who;
  const aaguid = credential.aaguid === null ? null : lowerCase(credential.aaguid);
  const provider = stores.provider(aaguid);
  const isOurs = aaguid === PASSKEY_DESK_AAGUID;
  const vault = ix.vault;
  // Ours, and the vault here was read completely: it held this passkey (an orphan) or never did (another computer).
  const vaultKnows = isOurs && vault !== undefined && readable(vault);
  if (vaultKnows && wasRetired(ix, entry)) {
    const inTrash = ix.trashed.size > 0 && ix.trashed.has(entry.rp + SEP + key);
    const cell = phrases.find(acct.owner, stores.of(vault.id).index, inTrash ? TRASHED : SERVER_ORPHAN);
    const words =
      phrases.words(cell) ??
      phrases.put(
        cell,
        inTrash
          ? trashedWords(vault.label, who)
          : serverOrphanWords(vault.label, who, { by: 'complete-store' }),
      );
    return row(
      entry,
      'server-orphan',
      vault.id,
      'vault',
      words,
      [revokeFor(entry, stores, phrases)],
      rowKeys,
    );
  }
  const likelyStore = vaultKnows ? null : isOurs ? (vault?.id ?? 'vault') : (provider?.store ?? null);
  const mark = findMark(ix, entry, likelyStore);
  if (mark !== null) {
    const marked = stores.of(mark.store);
    const label = marked.info?.label ?? (mark.store === likelyStore ? provider?.name : null) ?? mark.store;
    // Worded once per account, label and mark date: the words depend on nothing else.
    const cell = phrases.find(acct.owner, stores.of(label).index, MARKED);
    const byDate = phrases.value<Map<string, Words>>(cell) ?? phrases.put(cell, new Map<string, Words>());
    let words = byDate.get(mark.markedAt);
    if (words === undefined)
      byDate.set(
        mark.markedAt,
        (words = serverOrphanWords(label, who, { by: 'mark', markedAt: mark.markedAt })),
      );
    return row(
      entry,
      'server-orphan',
      mark.store,
      marked.kind,
      words,
      [revokeFor(entry, stores, phrases)],
      rowKeys,
    );
  }
  // The server's own provider name first (it may know better), then our AAGUID table.
  const likely = credential.providerName || provider?.name || null;
  const store = likelyStore === null ? null : stores.of(likelyStore);
  const here = store?.info;
  const label = vaultKnows ? OTHER_DESK : (here?.label ?? likely ?? 'the store that held it');
  const sub = (store ?? stores.blank).index;
  // The open and mark sentences name only the label, which the server's provider name can change for one store
  // (or for none): memoised per label, not per store.
  const named = stores.of(label).index;
  let open: ProposedAction | null = null;
  if (likelyStore !== null) {
    const cell = phrases.find(phrases.blank, named, OPEN_TEXT);
    const effect = phrases.text(cell) ?? phrases.put(cell, openEffect(label));
    open = openStore(
      acct.openPrefix(likelyStore) + key,
      likelyStore,
      key,
      account.accountId,
      account.rpId,
      effect,
    );
  }
  const markCell = phrases.find(phrases.blank, named, MARK_TEXT);
  const markText = phrases.text(markCell) ?? phrases.put(markCell, markEffect(label));
  const mark2 = markDeleted(acct, key, likelyStore ?? OTHER_STORE, markText);
  let rename: ProposedAction | null = null;
  if (!credential.name && likely !== null) {
    const cell = phrases.find(acct.owner, stores.of(likely).index, RENAME_TEXT);
    const effect = phrases.text(cell) ?? phrases.put(cell, renameEffect(likely, account.rpId));
    rename = renameServer(acct, key, likely, effect);
  }
  // Exact-length arrays in the proposed order: open-store, mark-deleted, rename-server.
  const actions =
    open === null
      ? rename === null
        ? [mark2]
        : [mark2, rename]
      : rename === null
        ? [open, mark2]
        : [open, mark2, rename];
  const cell = phrases.find(acct.owner, sub, ELSEWHERE);
  const byLikely = phrases.value<Map<string, Words>>(cell) ?? phrases.put(cell, new Map<string, Words>());
  let words = byLikely.get(vaultKnows ? OTHER_DESK_KEY : (likely ?? ''));
  if (words === undefined && vaultKnows) byLikely.set(OTHER_DESK_KEY, (words = otherDeskWords(who)));
  if (words === undefined) {
    let because: string | null = null;
    if (here !== undefined && !readable(here))
      because = `and ${here.label} could not be read completely just now (${here.reason ?? here.status}); reconcile again once it can`;
    else if (here !== undefined)
      because = `not in this computer's ${here.label}, so perhaps on another device`;
    byLikely.set(likely ?? '', (words = elsewhereWords(who, likely, because)));
  }
  return row(entry, 'elsewhere', likelyStore, store === null ? null : store.kind, words, actions, rowKeys);
}

/** A credential a second account at the same RP also lists, found in a store here: it works for that account. */
function foundElsewhereHere(
  entry: ServerEntry,
  stores: StoreTable,
  found: Passkey,
  rowKeys: RowKeys,
): ReconcileRow {
  // Rare (two accounts at one RP list the same ID), so its words are not memoised.
  const store = stores.of(found.store).info;
  const words = syncedWords(
    store?.label ?? found.store,
    whoAt(entry.acct.account.userName, entry.acct.account.rpId),
  );
  return row(entry, 'synced', found.store, found.storeKind, words, [], rowKeys);
}

/**
 * Every server credential that gets a row of its own, in row order: those no local passkey matched, then (from
 * `shadowedFrom`) those a second account at the same RP lists too. Collected once: the row keys read them twice
 * before the rows are written.
 */
export interface ServerRowEntries {
  entries: ServerEntry[];
  shadowedFrom: number;
}

export function serverRowEntries(ix: Indexes, unmatched: number): ServerRowEntries {
  const entries = new Array<ServerEntry>(unmatched + ix.shadowed.length);
  let k = 0;
  for (const head of ix.server.heads) {
    for (let entry: ServerEntry | null = head; entry; entry = entry.next) {
      if (entry.firstLocal === null) entries[k++] = entry;
    }
  }
  const shadowedFrom = k;
  for (const entry of ix.shadowed) entries[k++] = entry;
  // Exact by construction; setting the length keeps the array dense even if a count were off.
  entries.length = k;
  return { entries, shadowedFrom };
}

/** Writes the server-only rows into `out` from index `at`; returns the index after the last one. */
export function serverRows(
  pending: ServerRowEntries,
  ix: Indexes,
  stores: StoreTable,
  phrases: Phrases,
  rowKeys: RowKeys,
  out: ReconcileRow[],
  at: number,
): number {
  const { entries, shadowedFrom } = pending;
  let k = at;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const found = i < shadowedFrom ? null : (lookupServer(ix, entry.rp, entry.key)?.firstLocal ?? null);
    out[k++] =
      found === null
        ? decide(entry, ix, stores, phrases, rowKeys)
        : foundElsewhereHere(entry, stores, found, rowKeys);
  }
  return k;
}
