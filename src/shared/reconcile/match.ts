/**
 * The first pass over the local passkeys: each one's canonical key, RP key and handle, the server credential
 * with its ID at its RP (present means the server accepts it), its account, and its duplicate group with the
 * group's keeper. The rows (localRows.ts) are written in a second pass, since a row's words need its group's
 * keeper.
 *
 * What this pass finds is kept in arrays indexed like the passkeys rather than in an object per passkey: at
 * 100,000 passkeys such objects live through the whole reconcile, so the collector copied each of them twice;
 * a few large arrays it does not copy at all.
 */
import type { Passkey } from '../model';
import { BucketCounts } from './bucketCounts';
import { canonicalJson } from './hash';
import { rpKey } from './credentialKey';
import type { KeeperReason } from './explain';
import { lookupServer } from './indexes';
import { hashedKey, keyHash, lastKeyHash } from './keyTable';
import type { AccountEntry, Indexes, ServerEntry } from './indexes';
import type { StoreEntry, StoreTable } from './stores';
import { RowKeys } from './rowKeys';

/**
 * The first pass, one slot per passkey. A duplicate group (passkeys of one user at one RP in one store) is
 * named by its first member, the leader: `count` and `keeper` are read at the leader's index. Groups are found
 * through a map keyed by the bare user handle (or name) and a chain of leaders over (store, RP): the chain is
 * as long as the number of stores one user has passkeys in, and keying on the bare handle avoids building a
 * composite string per passkey.
 */
export interface Matched {
  keys: string[];
  rps: string[];
  handles: (string | null)[];
  /** The server credential with this ID at this RP: present means the server accepts this passkey. */
  entries: (ServerEntry | null)[];
  accts: (AccountEntry | null)[];
  stores: StoreEntry[];
  /** The leader of its group, or -1 (a store that keeps neither user handle nor name). */
  group: Int32Array;
  count: Int32Array;
  keeper: Int32Array;
  /** Server entries some passkey matched: they get no row of their own. */
  matchedEntries: number;
  /** Which rows' keys need qualifying: the passkeys are added here, the rest in RowKeys.settle. */
  rowKeys: RowKeys;
}

function findAccount(
  ix: Indexes,
  rp: string,
  handle: string | null,
  userName: string | null,
): AccountEntry | undefined {
  if (handle !== null) return ix.byHandle.get(rp)?.get(handle);
  // Without a user handle the user name is the only link; a store that keeps neither cannot be matched.
  return userName === null ? undefined : ix.byName.get(rp)?.get(userName);
}

/** Keeper order: the one the server accepts, then the most recently used, then created; the ID, then the contents, break ties. */
function better(passkeys: readonly Passkey[], m: Matched, a: number, b: number): boolean {
  const ae = m.entries[a] !== null;
  if (ae !== (m.entries[b] !== null)) return ae;
  const pa = passkeys[a]!;
  const pb = passkeys[b]!;
  const au = pa.lastUsedAt ?? '';
  const bu = pb.lastUsedAt ?? '';
  if (au !== bu) return au > bu;
  const ac = pa.createdAt ?? '';
  const bc = pb.createdAt ?? '';
  if (ac !== bc) return ac > bc;
  const ak = m.keys[a]!;
  const bk = m.keys[b]!;
  if (ak !== bk) return ak < bk;
  // One credential twice in one store (an export), spelled apart only where the key does not look (RP case):
  // the contents decide, never input order.
  return canonicalJson(pa) < canonicalJson(pb);
}

function join(
  passkeys: readonly Passkey[],
  m: Matched,
  next: Int32Array,
  heads: Map<string, number>,
  user: string,
  i: number,
): number {
  const head = heads.get(user);
  // Store entries are one object per store id: comparing them is a pointer check, not a string comparison.
  const store = m.stores[i];
  const rp = m.rps[i]!;
  for (let g = head ?? -1; g >= 0; g = next[g]!) {
    if (m.stores[g] !== store || m.rps[g] !== rp) continue;
    m.count[g]!++;
    if (better(passkeys, m, i, m.keeper[g]!)) m.keeper[g] = i;
    return g;
  }
  m.count[i] = 1;
  m.keeper[i] = i;
  next[i] = head ?? -1;
  heads.set(user, i);
  return i;
}

/** Keeps a user name's hash apart from a handle's: the same text as both is two users (a collision only costs a look-up). */
const NAME_SALT = 0x5bd1e995;

/**
 * The passkey that stands first for a server credential (the one row that may offer its rename): the smallest
 * store id, then (one store listing it twice) the contents, never input order.
 */
function firstBefore(passkey: Passkey, first: Passkey | null): boolean {
  if (first === null || passkey.store < first.store) return true;
  return passkey.store === first.store && canonicalJson(passkey) < canonicalJson(first);
}

/** A group of one: the passkey is its own leader and keeper. */
function alone(m: Matched, i: number): number {
  m.count[i] = 1;
  m.keeper[i] = i;
  return i;
}

export function match(passkeys: readonly Passkey[], ix: Indexes, stores: StoreTable): Matched {
  const n = passkeys.length;
  const m: Matched = {
    keys: new Array<string>(n),
    rps: new Array<string>(n),
    handles: new Array<string | null>(n),
    entries: new Array<ServerEntry | null>(n),
    accts: new Array<AccountEntry | null>(n),
    stores: new Array<StoreEntry>(n),
    group: new Int32Array(n),
    count: new Int32Array(n),
    keeper: new Int32Array(n),
    matchedEntries: 0,
    rowKeys: new RowKeys(n, n + ix.placed + ix.shadowed.length),
  };
  const next = new Int32Array(n);
  const byHandle = new Map<string, number>();
  const byName = new Map<string, number>();
  // Each passkey's user (its handle, else its user name), counted by hash: a user with one passkey here (each
  // passkey of a site with no connected account, typically) is a group of one without a map look-up. The
  // handle's canonical key and its hash come from one pass over it (hashedKey).
  const users = new BucketCounts(n);
  const userBucket = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const passkey = passkeys[i]!;
    if (passkey.userHandle !== null) {
      m.handles[i] = hashedKey(passkey.userHandle);
      userBucket[i] = users.add(lastKeyHash);
    } else {
      m.handles[i] = null;
      // Neither handle nor name: no group (-1 below), nothing to count.
      if (passkey.userName !== null) userBucket[i] = users.add(keyHash(passkey.userName) ^ NAME_SALT);
    }
  }
  for (let i = 0; i < n; i++) {
    const passkey = passkeys[i]!;
    const key = hashedKey(passkey.credentialId);
    const hash = lastKeyHash;
    const rp = rpKey(passkey.rpId);
    const handle = m.handles[i] ?? null;
    const entry = lookupServer(ix, rp, key, hash) ?? null;
    m.keys[i] = key;
    m.rps[i] = rp;
    m.entries[i] = entry;
    m.stores[i] = stores.of(passkey.store);
    // A credential ID the server lists is the strongest link to an account; the user handle comes second.
    m.accts[i] = entry !== null ? entry.acct : (findAccount(ix, rp, handle, passkey.userName) ?? null);
    if (entry !== null) {
      entry.localCount++;
      if (entry.firstLocal === null) m.matchedEntries++;
      if (firstBefore(passkey, entry.firstLocal)) entry.firstLocal = passkey;
    }
    m.rowKeys.addLocal(i, hash);
    if (handle === null && passkey.userName === null) m.group[i] = -1;
    else if (!users.shared(userBucket[i]!)) m.group[i] = alone(m, i);
    else if (handle !== null) m.group[i] = join(passkeys, m, next, byHandle, handle, i);
    else m.group[i] = join(passkeys, m, next, byName, passkey.userName!, i);
  }
  return m;
}

export function keeperReason(m: Matched, keeper: number): KeeperReason {
  if (m.entries[keeper] !== null) return 'accepted';
  return m.accts[keeper] === null ? 'recent' : 'none-accepted';
}
