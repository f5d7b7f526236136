/**
 * One row per local passkey: synced, local-orphan, duplicate or unmanaged, from what `match` (match.ts) found.
 * Rows of one account in one store share their words and effects (see Phrases); ids and keys are a memoised
 * prefix per store or account plus the credential key, so a row costs one string for its key and one per action.
 */
import type { Passkey } from '../model';
import {
  connectAccount,
  connectEffect,
  DELETE_LEAD,
  deleteLocal,
  openEffect,
  openStore,
  renameServer,
  revokeEffect,
  revokeServer,
} from './actions';
import {
  LOCAL_ORPHAN_TITLE,
  SYNCED_TITLE,
  duplicateWords,
  localOrphanWords,
  syncedWords,
  unmanagedWords,
  whoAt,
} from './explain';
import type { Words } from './explain';
import type { AccountEntry, Indexes, ServerEntry } from './indexes';
import { keeperReason } from './match';
import type { Matched } from './match';
import {
  CONNECT_TEXT,
  DELETE_TEXT,
  DUPLICATE,
  DUPLICATE_ACCEPTED,
  LOCAL_ORPHAN,
  OPEN_TEXT,
  RENAME_TEXT,
  REVOKE_TEXT,
  SYNCED,
  UNMANAGED,
} from './phrases';
import { GROUP_OWNERS, NO_OWNER, Phrases } from './phrases';
import { keepShape } from './shapes';
import { StoreTable } from './stores';
import type { StoreEntry } from './stores';
import type { Guard, ProposedAction, ReconcileRow, ReconcileStatus } from './types';

const NO_ACTIONS: readonly ProposedAction[] = Object.freeze([]);

/**
 * Everything one row's words and actions read, in one object reused for every row (no object per row).
 * `owner` holds the sentences of the row's owner: its account when the passkey names the user exactly as the
 * account does (user name and RP spelling: sentences name the user), else its duplicate group (see localRows),
 * else its "who" string.
 */
class Row {
  i = 0;
  p: Passkey | null = null;
  key = '';
  /** The row's key is its credential key alone (see RowKeys). */
  bare = false;
  suffix = '';
  store: StoreEntry | null = null;
  acct: AccountEntry | null = null;
  userName: string | null = null;
  /** The owner number of this row's sentences (see Phrases). */
  owner = 0;
  private whoText: string | null = null;

  constructor(
    readonly phrases: Phrases,
    readonly stores: StoreTable,
  ) {}

  reset(
    i: number,
    p: Passkey,
    key: string,
    bare: boolean,
    suffix: string,
    store: StoreEntry,
    acct: AccountEntry | null,
    groupOwner: number,
  ): void {
    this.i = i;
    this.p = p;
    this.key = key;
    this.bare = bare;
    this.suffix = suffix;
    this.store = store;
    this.acct = acct;
    const account = acct === null ? null : acct.account;
    const userName = p.userName ?? account?.userName ?? null;
    this.userName = userName;
    this.whoText = null;
    // The account owns the row's sentences only when the row names the user exactly as the account does (user
    // name and RP spelling): otherwise the first row of an (account, store) pair would word the others.
    this.owner =
      account !== null && userName === account.userName && p.rpId === account.rpId
        ? acct!.owner
        : groupOwner !== NO_OWNER
          ? groupOwner
          : this.phrases.of(this.who());
  }

  /** "user at rp" as this passkey says it; built only when a sentence or a key needs it. */
  who(): string {
    return (this.whoText ??=
      this.acct === null
        ? whoAt(this.userName, this.p!.rpId)
        : this.acct.whoFor(this.userName, this.p!.rpId));
  }

  /**
   * The account whose memoised sentence pieces fit this row: its "who" is the account's own (same user name and
   * RP spelling), so the account's piece of a sentence is the one this row would build.
   */
  get own(): AccountEntry | null {
    const acct = this.acct;
    return acct !== null && this.who() === acct.who ? acct : null;
  }

  get accountId(): string | null {
    return this.acct === null ? null : this.acct.account.accountId;
  }
}

keepShape(new Row(new Phrases(), new StoreTable(new Map())));

function del(r: Row, guard: Guard | null): ProposedAction {
  const p = r.p!;
  const store = r.store!;
  const phrases = r.phrases;
  const cell = phrases.find(r.owner, store.index, DELETE_TEXT);
  let effect = phrases.text(cell);
  if (effect === undefined) {
    const own = r.own;
    effect = phrases.put(
      cell,
      own === null
        ? DELETE_LEAD + r.who() + store.piece('deleteFrom')
        : own.piece('delete') + store.piece('delete'),
    );
  }
  return deleteLocal(
    store.deletePrefix + r.key + r.suffix,
    p.store,
    r.key,
    r.accountId,
    p.rpId,
    store.undoable,
    guard,
    effect,
  );
}

function open(r: Row): ProposedAction {
  const p = r.p!;
  const store = r.store!;
  const phrases = r.phrases;
  const cell = phrases.find(phrases.blank, store.index, OPEN_TEXT);
  const effect = phrases.text(cell) ?? phrases.put(cell, openEffect(store.label));
  const prefix = r.acct === null ? store.openPrefix : r.acct.openPrefix(p.store);
  return openStore(prefix + r.key + r.suffix, p.store, r.key, r.accountId, p.rpId, effect);
}

function canDelete(r: Row): boolean {
  return r.store!.deletes && r.p!.removable;
}

function duplicateActions(r: Row, entry: ServerEntry | null): ProposedAction[] {
  if (!canDelete(r)) return [open(r)];
  if (entry !== null && (entry.localCount > 1 || entry.shadows > 0)) {
    // The same credential is also in another store here, or another account lists it too: revoking it on one
    // server would not retire it. Deleting only this copy is still guarded, since the server accepts it.
    return [del(r, 'still-accepted')];
  }
  if (entry !== null) {
    // Accepted: revoke first, then the local delete is no longer guarded (the plan links the two). The revoke
    // acts on the account, so it names the account's user (as a server orphan's revoke does), whatever this
    // passkey calls its user: the sentence is memoised per account.
    const phrases = r.phrases;
    const cell = phrases.find(entry.acct.owner, r.stores.blank.index, REVOKE_TEXT);
    const effect =
      phrases.text(cell) ?? phrases.put(cell, revokeEffect(entry.acct.who, entry.acct.account.serverUrl));
    return [revokeServer(entry.acct, r.key, effect), del(r, 'still-accepted')];
  }
  return [del(r, r.acct === null ? 'still-accepted' : null)];
}

function row(
  r: Row,
  entry: ServerEntry | null,
  status: ReconcileStatus,
  words: Words,
  actions: readonly ProposedAction[],
  handle: string | null,
): ReconcileRow {
  const p = r.p!;
  const key = r.key;
  return {
    key: r.bare ? key : r.store!.rowPrefix + key + r.suffix,
    accountId: r.accountId,
    rpId: p.rpId,
    userHandle: handle ?? (r.acct === null ? null : r.acct.handle),
    userName: r.userName,
    credentialId: key,
    store: p.store,
    storeKind: p.storeKind,
    status,
    title: words.title,
    explanation: words.explanation,
    actions,
    local: p,
    server: entry === null ? null : entry.credential,
  };
}

function decide(r: Row, m: Matched, ix: Indexes, passkeys: readonly Passkey[]): ReconcileRow {
  const { i, key, phrases } = r;
  const p = r.p!;
  const store = r.store!;
  const entry = m.entries[i]!;
  const handle = m.handles[i]!;
  const g = m.group[i]!;
  if (g >= 0 && m.count[g]! > 1 && m.keeper[g] !== i) {
    const keeper = m.keeper[g]!;
    const accepted = entry !== null;
    const who = r.who();
    // Per group and user, not per owner: the words name the keeper.
    const cell = phrases.find(phrases.of(who), keeper, accepted ? DUPLICATE_ACCEPTED : DUPLICATE);
    const words =
      phrases.words(cell) ??
      phrases.put(
        cell,
        duplicateWords(
          store.label,
          who,
          m.count[g]!,
          m.keys[keeper]!,
          keeperReason(m, keeper),
          passkeys[keeper]!.lastUsedAt,
          accepted,
        ),
      );
    return row(r, entry, 'duplicate', words, duplicateActions(r, entry), handle);
  }
  if (r.acct === null) {
    const blank = r.stores.blank.index;
    const cell = phrases.find(r.owner, blank, UNMANAGED);
    const words = phrases.words(cell) ?? phrases.put(cell, unmanagedWords(p.rpId, ix.byName.has(m.rps[i]!)));
    // Nobody can say the server no longer accepts it, so deleting it is guarded like a working passkey.
    if (canDelete(r)) return row(r, entry, 'unmanaged', words, [del(r, 'still-accepted')], handle);
    const connect = phrases.find(r.owner, blank, CONNECT_TEXT);
    const effect = phrases.text(connect) ?? phrases.put(connect, connectEffect(p.rpId));
    return row(
      r,
      entry,
      'unmanaged',
      words,
      [connectAccount(store.connectPrefix + key + r.suffix, p.store, key, p.rpId, effect)],
      handle,
    );
  }
  if (entry !== null) {
    const cell = phrases.find(r.owner, store.index, SYNCED);
    let words = phrases.words(cell);
    if (words === undefined) {
      const own = r.own;
      words = phrases.put(
        cell,
        own === null
          ? syncedWords(store.label, r.who())
          : { title: SYNCED_TITLE, explanation: store.piece('synced') + own.piece('synced') },
      );
    }
    // One row per server credential offers the rename: the one in the smallest store id, chosen stably.
    if (entry.credential.name || entry.firstLocal !== p)
      return row(r, entry, 'synced', words, NO_ACTIONS, handle);
    // renameEffect(store.label, the account's RP ID), from its two memoised pieces.
    const named = phrases.find(entry.acct.owner, store.index, RENAME_TEXT);
    const effect =
      phrases.text(named) ?? phrases.put(named, store.piece('rename') + entry.acct.piece('rename'));
    return row(r, entry, 'synced', words, [renameServer(entry.acct, key, store.label, effect)], handle);
  }
  const cell = phrases.find(r.owner, store.index, LOCAL_ORPHAN);
  let words = phrases.words(cell);
  if (words === undefined) {
    const own = r.own;
    words = phrases.put(
      cell,
      own === null || p.rpId !== own.account.rpId
        ? localOrphanWords(store.label, r.who(), p.rpId)
        : { title: LOCAL_ORPHAN_TITLE, explanation: own.piece('orphan') + store.piece('orphan') },
    );
  }
  return row(r, entry, 'local-orphan', words, [canDelete(r) ? del(r, null) : open(r)], handle);
}

/** Writes one row per passkey into `out` from index 0, in input order. */
export function localRows(
  passkeys: readonly Passkey[],
  m: Matched,
  ix: Indexes,
  stores: StoreTable,
  phrases: Phrases,
  out: ReconcileRow[],
): void {
  const r = new Row(phrases, stores);
  for (let i = 0; i < passkeys.length; i++) {
    const p = passkeys[i]!;
    const key = m.keys[i]!;
    const bare = m.rowKeys.bareLocal(i, key);
    const acct = m.accts[i]!;
    // A passkey whose user is not its account's (every passkey of a site with no connected account) owns its
    // sentences through its group (same user, store and RP) when it names the user as the group's leader does:
    // same account, user name and RP spelling, so the same "who". A group of one always does. That spares a
    // map keyed by every such "who" string (25,000 at the benchmark size).
    const g = m.group[i]!;
    const lead = g >= 0 ? passkeys[g]! : null;
    const grouped =
      g === i ||
      (lead !== null && m.accts[g] === acct && lead.userName === p.userName && lead.rpId === p.rpId);
    r.reset(
      i,
      p,
      key,
      bare,
      bare ? '' : m.rowKeys.suffix(i),
      m.stores[i]!,
      acct,
      grouped ? GROUP_OWNERS + g : NO_OWNER,
    );
    out[i] = decide(r, m, ix, passkeys);
  }
}
