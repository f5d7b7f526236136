/**
 * One pass over the accounts, stores and marks into hash maps, so that every later lookup is O(1) and the whole
 * reconcile stays linear. Every tie is broken by a stable value (the smaller account id, the earlier mark), never
 * by input order: the result must not depend on the order the inputs arrive in.
 */
import type { Passkey, StoreInfo } from '../model';
import { credentialKey, rpKey, userHandleKey } from './credentialKey';
import { deleteWhoPiece, renameRpPiece } from './actions';
import { localOrphanWhoPiece, syncedWhoPiece, whoAt } from './explain';
import { canonicalJson } from './hash';
import { KeyTable, hashedKey, keyHash, lastKeyHash } from './keyTable';
import { keepShape } from './shapes';
import type { ConnectedAccount, DeletionMark, ReconcileInputs, ServerCredential } from './types';

/**
 * A connected account with what every one of its rows needs worked out once: at 100,000 rows, re-deriving the
 * handle key, the "who" words or an id prefix per row is most of the allocation the collector then pays for.
 */
export class AccountEntry {
  readonly rp: string;
  readonly handle: string | null;
  /** Who the server side names: the account's user at its RP. */
  readonly who: string;
  /** Distinct credentials the server accepts, summed per account id (filled once the server side is indexed). */
  accepted = 0;
  readonly rowPrefix: string;
  readonly revokePrefix: string;
  readonly renamePrefix: string;
  readonly markPrefix: string;
  /** The user's half of the synced, local-orphan, delete and rename sentences, for `who` (see explain.ts). */
  private pieces: { synced: string; orphan: string; delete: string; rename: string } | null = null;
  /** `open-store:<store>:<account>:` per store id. */
  openPrefixes: Map<string, string> | null = null;

  constructor(
    readonly account: ConnectedAccount,
    /** Its index among the accounts: the owner number of its sentences (see Phrases). */
    readonly owner: number,
  ) {
    const id = account.accountId;
    this.rp = rpKey(account.rpId);
    this.handle = userHandleKey(account.userHandle);
    this.who = whoAt(account.userName, account.rpId);
    this.rowPrefix = `server:${id}:`;
    this.revokePrefix = `revoke-server:${id}:`;
    this.renamePrefix = `rename-server:${id}:`;
    this.markPrefix = `mark-deleted:${id}:`;
  }

  /** whoAt(userName, rpId), shared when it is the account's own user and RP spelling (nearly every row). */
  whoFor(userName: string | null, rpId: string): string {
    return userName === this.account.userName && rpId === this.account.rpId
      ? this.who
      : whoAt(userName, rpId);
  }

  piece(which: 'synced' | 'orphan' | 'delete' | 'rename'): string {
    const { who, account } = this;
    this.pieces ??= {
      synced: syncedWhoPiece(who),
      orphan: localOrphanWhoPiece(who, account.rpId),
      delete: deleteWhoPiece(who),
      rename: renameRpPiece(account.rpId),
    };
    return this.pieces[which];
  }

  openPrefix(store: string): string {
    const map = (this.openPrefixes ??= new Map<string, string>());
    let prefix = map.get(store);
    if (prefix === undefined) map.set(store, (prefix = `open-store:${store}:${this.account.accountId}:`));
    return prefix;
  }
}

keepShape(
  new AccountEntry(
    { accountId: '', rpId: '', userHandle: '', userName: '', serverUrl: '', credentials: [] },
    0,
  ),
);

export interface ServerEntry {
  acct: AccountEntry;
  credential: ServerCredential;
  /** Canonical credential key. */
  key: string;
  /** keyHash(key), for the row key's uniqueness check (RowKeys). */
  hash: number;
  rp: string;
  /** The local passkey that matched it, in the smallest store id (so one row, chosen stably, may rename it). */
  firstLocal: Passkey | null;
  /** How many local passkeys matched it (copies of one credential in several stores, e.g. an export). */
  localCount: number;
  /** How many other accounts at this RP also list this ID (each such entry is in `shadowed`). */
  shadows: number;
  /** The next credential with the same key at another RP (a chain, almost always empty). */
  next: ServerEntry | null;
}

export interface Indexes {
  stores: Map<string, StoreInfo>;
  /** The vault, if the inventory lists one. */
  vault: StoreInfo | undefined;
  /**
   * Credential key → the server credentials with that key, chained by RP; per RP the smaller account id wins.
   * Keyed by the bare key rather than `rp + key`: a canonical ID is usually the input string itself, so a
   * lookup allocates nothing; each key is hashed once (keyHash) and the hash reused by the local pass.
   */
  server: KeyTable<ServerEntry>;
  /** The same credential listed by a second account at the same RP: each still needs its own row. */
  shadowed: ServerEntry[];
  /** RP → user handle → account. */
  byHandle: Map<string, Map<string, AccountEntry>>;
  /** RP → user name → account, for stores that keep no user handle. */
  byName: Map<string, Map<string, AccountEntry>>;
  /** How many entries the chains in `server` hold (each is a row unless a local passkey matches it). */
  placed: number;
  /** Account id → how many distinct credentials its server accepts (the last-passkey guard counts these). */
  accepted: Map<string, number>;
  /** RP → credential key → the earliest mark naming that credential. */
  marksById: Map<string, Map<string, DeletionMark>>;
  /** `rp \0 user handle or '' \0 store` → marks without a credential ID. */
  marksByStore: Map<string, DeletionMark[]>;
  /** Credential key → the RP of a passkey the vault once held and no longer does (its trash, purged ones). */
  retired: Map<string, string>;
  /** `rp \0 key` of retired passkeys whose ID the vault held for a second RP too (almost always empty). */
  retiredMore: Set<string>;
  /** `rp \0 key` of retired passkeys still in the vault's trash (restorable; few). */
  trashed: Set<string>;
}

export const SEP = '\u0000';

function inner<V>(outer: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let map = outer.get(key);
  if (map === undefined) {
    map = new Map();
    outer.set(key, map);
  }
  return map;
}

function keepSmaller(map: Map<string, AccountEntry>, key: string, acct: AccountEntry): void {
  const had = map.get(key);
  if (had === undefined || acct.account.accountId < had.account.accountId) map.set(key, acct);
}

/** Did the vault hold this server credential once (same ID at the same RP), and holds it no longer? */
export function wasRetired(ix: Indexes, entry: ServerEntry): boolean {
  const rp = ix.retired.get(entry.key);
  if (rp === undefined) return false;
  return rp === entry.rp || (ix.retiredMore.size > 0 && ix.retiredMore.has(entry.rp + SEP + entry.key));
}

/** The server credential with this key at this RP, if any server lists it. */
export function lookupServer(
  ix: Indexes,
  rp: string,
  key: string,
  hash = keyHash(key),
): ServerEntry | undefined {
  for (let e: ServerEntry | null = ix.server.get(key, hash) ?? null; e; e = e.next) if (e.rp === rp) return e;
  return undefined;
}

type Placed = 'new' | 'replaced' | 'repeat' | 'shadowed';

/** Of two listings of one credential by one account, keeps the first by contents: never input order. */
function keepFirstListing(kept: ServerEntry, again: ServerEntry): void {
  if (canonicalJson(again.credential) < canonicalJson(kept.credential)) kept.credential = again.credential;
}

/** Puts an entry into its chain; per RP the smaller account id keeps the slot and the other is shadowed. */
function place(ix: Indexes, entry: ServerEntry, hash: number, shadow: (e: ServerEntry) => boolean): Placed {
  const head = ix.server.get(entry.key, hash);
  let prev: ServerEntry | null = null;
  for (let e: ServerEntry | null = head ?? null; e; prev = e, e = e.next) {
    if (e.rp !== entry.rp) continue;
    // A server listing one ID twice accepts one credential: count and show it once.
    if (e.acct.account === entry.acct.account) {
      keepFirstListing(e, entry);
      return 'repeat';
    }
    if (entry.acct.account.accountId < e.acct.account.accountId) {
      entry.next = e.next;
      e.next = null;
      entry.shadows = e.shadows + 1;
      if (prev) prev.next = entry;
      else ix.server.set(entry, hash);
      shadow(e);
      return 'replaced';
    }
    if (!shadow(entry)) return 'repeat';
    e.shadows++;
    return 'shadowed';
  }
  entry.next = head ?? null;
  ix.server.set(entry, hash);
  return 'new';
}

function indexServer(accounts: readonly ConnectedAccount[], ix: Indexes): void {
  // Only for the rare shadowed case: an account that lists a shadowed ID twice still gets one row for it.
  const shadowSeen = new Map<string, ServerEntry>();
  const shadow = (entry: ServerEntry): boolean => {
    const k = entry.acct.account.accountId + SEP + entry.rp + SEP + entry.key;
    const seen = shadowSeen.get(k);
    if (seen !== undefined) {
      keepFirstListing(seen, entry);
      return false;
    }
    shadowSeen.set(k, entry);
    ix.shadowed.push(entry);
    return true;
  };
  const accts: AccountEntry[] = [];
  for (const account of accounts) {
    const acct = new AccountEntry(account, accts.length);
    accts.push(acct);
    const rp = acct.rp;
    if (acct.handle !== null) keepSmaller(inner(ix.byHandle, rp), acct.handle, acct);
    keepSmaller(inner(ix.byName, rp), account.userName, acct);
    let distinct = 0;
    for (const credential of account.credentials) {
      const key = hashedKey(credential.credentialId);
      const hash = lastKeyHash;
      const entry: ServerEntry = {
        acct,
        credential,
        key,
        hash,
        rp,
        firstLocal: null,
        localCount: 0,
        shadows: 0,
        next: null,
      };
      const placed = place(ix, entry, hash, shadow);
      if (placed !== 'repeat') distinct++;
      if (placed === 'new') ix.placed++;
    }
    ix.accepted.set(account.accountId, (ix.accepted.get(account.accountId) ?? 0) + distinct);
  }
  for (const acct of accts) acct.accepted = ix.accepted.get(acct.account.accountId) ?? 0;
}

function indexMarks(marks: readonly DeletionMark[], ix: Indexes): void {
  for (const mark of marks) {
    const rp = rpKey(mark.rpId);
    if (mark.credentialId !== null) {
      const byKey = inner(ix.marksById, rp);
      const key = credentialKey(mark.credentialId);
      const had = byKey.get(key);
      if (had === undefined || mark.markedAt < had.markedAt) byKey.set(key, mark);
    } else {
      const k = rp + SEP + (userHandleKey(mark.userHandle) ?? '') + SEP + mark.store;
      const list = ix.marksByStore.get(k);
      if (list) list.push(mark);
      else ix.marksByStore.set(k, [mark]);
    }
  }
}

export function buildIndexes(inputs: ReconcileInputs): Indexes {
  const ix: Indexes = {
    stores: new Map(),
    vault: undefined,
    server: new KeyTable(inputs.accounts.reduce((n, a) => n + a.credentials.length, 0)),
    shadowed: [],
    byHandle: new Map(),
    byName: new Map(),
    placed: 0,
    accepted: new Map(),
    marksById: new Map(),
    marksByStore: new Map(),
    retired: new Map(),
    retiredMore: new Set(),
    trashed: new Set(),
  };
  for (const store of inputs.stores) {
    ix.stores.set(store.id, store);
    if (store.kind === 'vault' && (ix.vault === undefined || store.id < ix.vault.id)) ix.vault = store;
  }
  const vaultId = ix.vault?.id;
  for (const r of inputs.retired) {
    if (r.store !== vaultId) continue;
    const key = credentialKey(r.credentialId);
    const rp = rpKey(r.rpId);
    const had = ix.retired.get(key);
    if (had === undefined) ix.retired.set(key, rp);
    else if (had !== rp) ix.retiredMore.add(rp + SEP + key);
    if (r.inTrash === true) ix.trashed.add(rp + SEP + key);
  }
  indexServer(inputs.accounts, ix);
  indexMarks(inputs.marks, ix);
  return ix;
}

/** Was this mark made after the credential was created? A later passkey in the same store is not covered. */
function covers(mark: DeletionMark, credential: ServerCredential): boolean {
  if (credential.createdAt === null) return true;
  const created = Date.parse(credential.createdAt);
  const marked = Date.parse(mark.markedAt);
  return Number.isNaN(created) || Number.isNaN(marked) || created <= marked;
}

/** The mark that says this server credential's passkey was deleted, if any. `store` is its likely store. */
export function findMark(ix: Indexes, entry: ServerEntry, store: string | null): DeletionMark | null {
  const byId = ix.marksById.size === 0 ? undefined : ix.marksById.get(entry.rp)?.get(entry.key);
  if (byId !== undefined) return byId;
  if (store === null || ix.marksByStore.size === 0) return null;
  const handle = entry.acct.handle ?? '';
  let best: DeletionMark | null = null;
  for (const k of [entry.rp + SEP + handle + SEP + store, entry.rp + SEP + SEP + store]) {
    for (const mark of ix.marksByStore.get(k) ?? []) {
      if (covers(mark, entry.credential) && (best === null || mark.markedAt < best.markedAt)) best = mark;
    }
  }
  return best;
}
