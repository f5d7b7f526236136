/**
 * One pass over the accounts, stores and marks into hash maps, so that every later lookup is O(1) and the whole
 * reconcile stays linear. Every tie is broken by a stable value (the smaller account id, the earlier mark), never
 * by input order: the result must not depend on the order the inputs arrive in.
 */
import type { Passkey, StoreInfo } from '../model';
import { credentialKey, rpKey, userHandleKey } from './credentialKey';
import type { ConnectedAccount, DeletionMark, ReconcileInputs, ServerCredential } from './types';

export interface ServerEntry {
  account: ConnectedAccount;
  credential: ServerCredential;
  /** Canonical credential key. */
  key: string;
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
   * Keyed by the bare key rather than `rp + key`: a canonical ID is usually the input string itself, whose
   * hash V8 caches, so a lookup allocates nothing.
   */
  server: Map<string, ServerEntry>;
  /** The same credential listed by a second account at the same RP: each still needs its own row. */
  shadowed: ServerEntry[];
  /** RP → user handle → account. */
  byHandle: Map<string, Map<string, ConnectedAccount>>;
  /** RP → user name → account, for stores that keep no user handle. */
  byName: Map<string, Map<string, ConnectedAccount>>;
  /** Account id → how many distinct credentials its server accepts (the last-passkey guard counts these). */
  accepted: Map<string, number>;
  /** RP → credential key → the earliest mark naming that credential. */
  marksById: Map<string, Map<string, DeletionMark>>;
  /** `rp \0 user handle or '' \0 store` → marks without a credential ID. */
  marksByStore: Map<string, DeletionMark[]>;
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

function keepSmaller(map: Map<string, ConnectedAccount>, key: string, account: ConnectedAccount): void {
  const had = map.get(key);
  if (had === undefined || account.accountId < had.accountId) map.set(key, account);
}

/** The server credential with this key at this RP, if any server lists it. */
export function lookupServer(ix: Indexes, rp: string, key: string): ServerEntry | undefined {
  for (let e: ServerEntry | null = ix.server.get(key) ?? null; e; e = e.next) if (e.rp === rp) return e;
  return undefined;
}

type Placed = 'new' | 'repeat' | 'shadowed';

/** Puts an entry into its chain; per RP the smaller account id keeps the slot and the other is shadowed. */
function place(ix: Indexes, entry: ServerEntry, shadow: (e: ServerEntry) => boolean): Placed {
  const head = ix.server.get(entry.key);
  let prev: ServerEntry | null = null;
  for (let e: ServerEntry | null = head ?? null; e; prev = e, e = e.next) {
    if (e.rp !== entry.rp) continue;
    // A server listing one ID twice accepts one credential: count and show it once.
    if (e.account === entry.account) return 'repeat';
    if (entry.account.accountId < e.account.accountId) {
      entry.next = e.next;
      e.next = null;
      entry.shadows = e.shadows + 1;
      if (prev) prev.next = entry;
      else ix.server.set(entry.key, entry);
      shadow(e);
      return 'new';
    }
    if (!shadow(entry)) return 'repeat';
    e.shadows++;
    return 'shadowed';
  }
  entry.next = head ?? null;
  ix.server.set(entry.key, entry);
  return 'new';
}

function indexServer(accounts: readonly ConnectedAccount[], ix: Indexes): void {
  // Only for the rare shadowed case: an account that lists a shadowed ID twice still gets one row for it.
  const shadowSeen = new Set<string>();
  const shadow = (entry: ServerEntry): boolean => {
    const k = entry.account.accountId + SEP + entry.rp + SEP + entry.key;
    if (shadowSeen.has(k)) return false;
    shadowSeen.add(k);
    ix.shadowed.push(entry);
    return true;
  };
  for (const account of accounts) {
    const rp = rpKey(account.rpId);
    const handle = userHandleKey(account.userHandle);
    if (handle !== null) keepSmaller(inner(ix.byHandle, rp), handle, account);
    keepSmaller(inner(ix.byName, rp), account.userName, account);
    let distinct = 0;
    for (const credential of account.credentials) {
      const entry: ServerEntry = { account, credential, key: credentialKey(credential.credentialId), rp, firstLocal: null, localCount: 0, shadows: 0, next: null };
      if (place(ix, entry, shadow) !== 'repeat') distinct++;
    }
    ix.accepted.set(account.accountId, (ix.accepted.get(account.accountId) ?? 0) + distinct);
  }
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
    server: new Map(),
    shadowed: [],
    byHandle: new Map(),
    byName: new Map(),
    accepted: new Map(),
    marksById: new Map(),
    marksByStore: new Map(),
  };
  for (const store of inputs.stores) {
    ix.stores.set(store.id, store);
    if (store.kind === 'vault' && (ix.vault === undefined || store.id < ix.vault.id)) ix.vault = store;
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
  const byId = ix.marksById.get(entry.rp)?.get(entry.key);
  if (byId !== undefined) return byId;
  if (store === null || ix.marksByStore.size === 0) return null;
  const handle = userHandleKey(entry.account.userHandle) ?? '';
  let best: DeletionMark | null = null;
  for (const k of [entry.rp + SEP + handle + SEP + store, entry.rp + SEP + SEP + store]) {
    for (const mark of ix.marksByStore.get(k) ?? []) {
      if (covers(mark, entry.credential) && (best === null || mark.markedAt < best.markedAt)) best = mark;
    }
  }
  return best;
}
