/**
 * One row per local passkey: synced, local-orphan, duplicate or unmanaged. Two linear passes: the first matches
 * each passkey to its server credential and account and elects the keeper of each duplicate group, the second
 * writes the rows (a row's words need its group's keeper, known only after the first pass).
 */
import type { Passkey, StoreInfo } from '../model';
import {
  canDeleteHere,
  connectAccount,
  connectEffect,
  deleteEffect,
  deleteLocal,
  openEffect,
  openStore,
  renameEffect,
  renameServer,
  revokeEffect,
  revokeServer,
  undoableHere,
} from './actions';
import { credentialKey, rpKey, userHandleKey } from './credentialKey';
import { duplicateWords, localOrphanWords, syncedWords, unmanagedWords, whoAt } from './explain';
import type { KeeperReason, Words } from './explain';
import { SEP, lookupServer } from './indexes';
import type { Indexes, ServerEntry } from './indexes';
import type { Phrases } from './phrases';
import type { ConnectedAccount, Guard, ProposedAction, ReconcileRow, ReconcileStatus } from './types';

interface Local {
  passkey: Passkey;
  key: string;
  rp: string;
  handle: string | null;
  /** The server credential with this ID at this RP: present means the server accepts this passkey. */
  entry: ServerEntry | undefined;
  account: ConnectedAccount | undefined;
  group: Group | null;
}

/**
 * Passkeys of one user at one RP in one store. Found through a map keyed by the user handle (or name) and a
 * chain over (store, RP): the chain is as long as the number of stores one user has passkeys in, a small
 * bound, and keying on the bare handle avoids building a composite string per passkey.
 */
interface Group {
  store: string;
  rp: string;
  keeper: Local;
  count: number;
  next: Group | null;
}

const NO_ACTIONS: readonly ProposedAction[] = Object.freeze([]);

function findAccount(ix: Indexes, rp: string, handle: string | null, userName: string | null): ConnectedAccount | undefined {
  if (handle !== null) return ix.byHandle.get(rp)?.get(handle);
  // Without a user handle the user name is the only link; a store that keeps neither cannot be matched.
  return userName === null ? undefined : ix.byName.get(rp)?.get(userName);
}

/** Keeper order: the one the server accepts, then the most recently used, then created; the ID breaks ties. */
function better(a: Local, b: Local): boolean {
  if ((a.entry !== undefined) !== (b.entry !== undefined)) return a.entry !== undefined;
  const au = a.passkey.lastUsedAt ?? '';
  const bu = b.passkey.lastUsedAt ?? '';
  if (au !== bu) return au > bu;
  const ac = a.passkey.createdAt ?? '';
  const bc = b.passkey.createdAt ?? '';
  if (ac !== bc) return ac > bc;
  return a.key < b.key;
}

function join(heads: Map<string, Group>, who: string, local: Local): Group {
  const head = heads.get(who);
  for (let g: Group | null = head ?? null; g; g = g.next) {
    if (g.store !== local.passkey.store || g.rp !== local.rp) continue;
    g.count++;
    if (better(local, g.keeper)) g.keeper = local;
    return g;
  }
  const g: Group = { store: local.passkey.store, rp: local.rp, keeper: local, count: 1, next: head ?? null };
  heads.set(who, g);
  return g;
}

function match(passkeys: readonly Passkey[], ix: Indexes): Local[] {
  const byHandle = new Map<string, Group>();
  const byName = new Map<string, Group>();
  const locals: Local[] = new Array<Local>(passkeys.length);
  for (let i = 0; i < passkeys.length; i++) {
    const passkey = passkeys[i]!;
    const key = credentialKey(passkey.credentialId);
    const rp = rpKey(passkey.rpId);
    const handle = userHandleKey(passkey.userHandle);
    const entry = lookupServer(ix, rp, key);
    // A credential ID the server lists is the strongest link to an account; the user handle comes second.
    const account = entry?.account ?? findAccount(ix, rp, handle, passkey.userName);
    if (entry !== undefined) {
      entry.localCount++;
      if (entry.firstLocal === null || passkey.store < entry.firstLocal.store) entry.firstLocal = passkey;
    }
    const local: Local = { passkey, key, rp, handle, entry, account, group: null };
    if (handle !== null) local.group = join(byHandle, handle, local);
    else if (passkey.userName !== null) local.group = join(byName, passkey.userName, local);
    locals[i] = local;
  }
  return locals;
}

function keeperReason(keeper: Local): KeeperReason {
  if (keeper.entry !== undefined) return 'accepted';
  return keeper.account === undefined ? 'recent' : 'none-accepted';
}

/** What one row's words and actions need; `owner` scopes the memoised sentences (see Phrases). */
interface Row {
  l: Local;
  store: StoreInfo | undefined;
  label: string;
  who: string;
  owner: object | string;
  accountId: string | null;
  suffix: string;
  phrases: Phrases;
}

interface Decision {
  status: ReconcileStatus;
  words: Words;
  actions: readonly ProposedAction[];
}

function del(r: Row, guard: Guard | null): ProposedAction {
  const undoable = undoableHere(r.store);
  const effect = r.phrases.text(r.owner, r.l.passkey.store, 'delete', () => deleteEffect(r.who, r.label, undoable));
  return deleteLocal(r.l.passkey, r.l.key, r.accountId, r.suffix, undoable, guard, effect);
}

function open(r: Row): ProposedAction {
  const effect = r.phrases.text('', r.l.passkey.store, 'open', () => openEffect(r.label));
  return openStore(r.l.passkey.store, r.l.key, r.l.passkey.rpId, r.accountId, r.suffix, effect);
}

function duplicate(r: Row, g: Group, ix: Indexes): Decision {
  const { l } = r;
  const keeper = g.keeper;
  const accepted = l.entry !== undefined;
  // Per group and user, not per owner: the words name the keeper.
  const words = r.phrases.word(keeper, r.who, accepted ? 'dup-accepted' : 'dup', () =>
    duplicateWords(r.label, r.who, g.count, keeper.key, keeperReason(keeper), keeper.passkey.lastUsedAt, accepted),
  );
  let actions: ProposedAction[];
  if (!canDeleteHere(r.store, l.passkey)) actions = [open(r)];
  else if (l.entry !== undefined && (l.entry.localCount > 1 || l.entry.shadows > 0)) {
    // The same credential is also in another store here, or another account lists it too: revoking it on one
    // server would not retire it. Deleting only this copy is still guarded, since the server accepts it.
    actions = [del(r, 'still-accepted')];
  } else if (l.entry !== undefined) {
    // Accepted: revoke first, then the local delete is no longer guarded (the plan links the two).
    const account = l.entry.account;
    const effect = r.phrases.text(account, '', 'revoke', () => revokeEffect(r.who, account.serverUrl));
    actions = [revokeServer(account, l.key, ix.accepted.get(account.accountId) ?? 0, effect), del(r, 'still-accepted')];
  } else actions = [del(r, l.account === undefined ? 'still-accepted' : null)];
  return { status: 'duplicate', words, actions };
}

function decide(r: Row, ix: Indexes): Decision {
  const { l, label, who, phrases, owner } = r;
  const p = l.passkey;
  const g = l.group;
  if (g !== null && g.count > 1 && g.keeper !== l) return duplicate(r, g, ix);
  if (l.account === undefined) {
    const other = ix.byName.has(l.rp);
    const words = phrases.word(owner, '', 'unmanaged', () => unmanagedWords(p.rpId, other));
    // Nobody can say the server no longer accepts it, so deleting it is guarded like a working passkey.
    if (canDeleteHere(r.store, p)) return { status: 'unmanaged', words, actions: [del(r, 'still-accepted')] };
    const effect = phrases.text(owner, '', 'connect', () => connectEffect(p.rpId));
    return { status: 'unmanaged', words, actions: [connectAccount(p, l.key, r.suffix, effect)] };
  }
  if (l.entry !== undefined) {
    const words = phrases.word(owner, p.store, 'synced', () => syncedWords(label, who));
    // One row per server credential offers the rename: the one in the smallest store id, chosen stably.
    if (l.entry.credential.name || l.entry.firstLocal !== p) return { status: 'synced', words, actions: NO_ACTIONS };
    const account = l.entry.account;
    const effect = phrases.text(account, p.store, 'rename', () => renameEffect(label, account.rpId));
    return { status: 'synced', words, actions: [renameServer(account, l.key, label, effect)] };
  }
  return {
    status: 'local-orphan',
    words: phrases.word(owner, p.store, 'local-orphan', () => localOrphanWords(label, who, p.rpId)),
    actions: [canDeleteHere(r.store, p) ? del(r, null) : open(r)],
  };
}

/** Row keys must be unique; only a store that lists one credential twice (an export) needs a suffix. */
function suffixer(): (l: Local) => string {
  const firstStore = new Map<string, string>();
  const counts = new Map<string, number>();
  return (l) => {
    const store = l.passkey.store;
    const had = firstStore.get(l.key);
    if (had === undefined) {
      firstStore.set(l.key, store);
      return '';
    }
    // The key was seen before: count per (store, key); the first occurrence in each store keeps the bare key.
    const k = store + SEP + l.key;
    const n = (counts.get(k) ?? (had === store ? 1 : 0)) + 1;
    counts.set(k, n);
    return n === 1 ? '' : `#${n}`;
  };
}

export function localRows(passkeys: readonly Passkey[], ix: Indexes, phrases: Phrases, out: ReconcileRow[]): void {
  const locals = match(passkeys, ix);
  const suffixOf = suffixer();
  for (const l of locals) {
    const p = l.passkey;
    const store = ix.stores.get(p.store);
    const account = l.account;
    const userName = p.userName ?? account?.userName ?? null;
    const who = whoAt(userName, p.rpId);
    const r: Row = {
      l,
      store,
      label: store?.label ?? p.store,
      who,
      // Sentences name the user: share them per account only when this passkey's user name is the account's.
      owner: account !== undefined && userName === account.userName ? account : who,
      accountId: account?.accountId ?? null,
      suffix: suffixOf(l),
      phrases,
    };
    const { status, words, actions } = decide(r, ix);
    out.push({
      key: `local:${p.store}:${l.key}${r.suffix}`,
      accountId: r.accountId,
      rpId: p.rpId,
      userHandle: l.handle ?? (account ? userHandleKey(account.userHandle) : null),
      userName,
      credentialId: l.key,
      store: p.store,
      storeKind: p.storeKind,
      status,
      title: words.title,
      explanation: words.explanation,
      actions,
      local: p,
      server: l.entry?.credential ?? null,
    });
  }
}
