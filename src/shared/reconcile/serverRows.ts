/**
 * One row per server credential that no local passkey matched: server-orphan or elsewhere. Which store "should
 * hold" it is decided only from what can be known here: our own vault's AAGUID when the vault was read
 * completely, or the user's mark that it was deleted in a store we cannot read. Anything else is `elsewhere`,
 * because calling a passkey an orphan on a guess would invite revoking one that still works on a phone.
 */
import { PASSKEY_DESK_AAGUID, knownProvider } from '../aaguid';
import { markDeleted, markEffect, openEffect, openStore, renameEffect, renameServer, revokeEffect, revokeServer } from './actions';
import { userHandleKey } from './credentialKey';
import { elsewhereWords, serverOrphanWords, syncedWords, whoAt } from './explain';
import type { Words } from './explain';
import { SEP, findMark, lookupServer } from './indexes';
import type { Phrases } from './phrases';
import type { Indexes, ServerEntry } from './indexes';
import type { ProposedAction, ReconcileRow, ReconcileStatus } from './types';
import type { Passkey, StoreInfo, StoreKind } from '../model';

const OTHER_STORE = 'guided:other';

interface Decision {
  status: ReconcileStatus;
  store: string | null;
  storeKind: StoreKind | null;
  words: Words;
  actions: ProposedAction[];
}

function readable(store: StoreInfo): boolean {
  return store.status === 'available' && store.complete;
}

function kindOf(storeId: string | null, ix: Indexes): StoreKind | null {
  if (storeId === null) return null;
  const known = ix.stores.get(storeId);
  if (known) return known.kind;
  // Store ids start with their kind (`guided:apple`, `security-key:123`), see model.ts.
  const head = storeId.split(':', 1)[0];
  switch (head) {
    case 'vault':
    case 'windows-hello':
    case 'security-key':
    case 'export':
    case 'guided':
      return head;
    default:
      return null;
  }
}

function revokeFor(entry: ServerEntry, accepted: number, who: string, phrases: Phrases): ProposedAction {
  const { account } = entry;
  return revokeServer(account, entry.key, accepted, phrases.text(account, '', 'revoke', () => revokeEffect(who, account.serverUrl)));
}

function decide(entry: ServerEntry, ix: Indexes, suffix: string, phrases: Phrases): Decision {
  const { account, credential, key } = entry;
  const who = whoAt(account.userName, account.rpId);
  const accepted = ix.accepted.get(account.accountId) ?? 0;
  const aaguid = credential.aaguid?.toLowerCase() ?? null;
  const provider = knownProvider(aaguid);
  const isOurs = aaguid === PASSKEY_DESK_AAGUID;
  const vault = ix.vault;
  if (isOurs && vault !== undefined && readable(vault)) {
    return {
      status: 'server-orphan',
      store: vault.id,
      storeKind: 'vault',
      words: phrases.word(account, vault.id, 'server-orphan', () => serverOrphanWords(vault.label, who, { by: 'complete-store' })),
      actions: [revokeFor(entry, accepted, who, phrases)],
    };
  }
  const likelyStore = isOurs ? (vault?.id ?? 'vault') : (provider?.store ?? null);
  const mark = findMark(ix, entry, likelyStore);
  if (mark !== null) {
    const label = ix.stores.get(mark.store)?.label ?? (mark.store === likelyStore ? provider?.name : null) ?? mark.store;
    return {
      status: 'server-orphan',
      store: mark.store,
      storeKind: kindOf(mark.store, ix),
      words: serverOrphanWords(label, who, { by: 'mark', markedAt: mark.markedAt }),
      actions: [revokeFor(entry, accepted, who, phrases)],
    };
  }
  // The server's own provider name first (it may know better), then our AAGUID table.
  const likely = credential.providerName || provider?.name || null;
  const here = likelyStore === null ? undefined : ix.stores.get(likelyStore);
  const label = here?.label ?? likely ?? 'the store that held it';
  const sub = likelyStore ?? '';
  const actions: ProposedAction[] = [];
  if (likelyStore !== null) actions.push(openStore(likelyStore, key, account.rpId, account.accountId, suffix, phrases.text('', sub, 'open', () => openEffect(label))));
  actions.push(markDeleted(account, key, likelyStore ?? OTHER_STORE, phrases.text('', sub, 'mark', () => markEffect(label))));
  if (!credential.name && likely !== null) {
    actions.push(renameServer(account, key, likely, phrases.text(account, likely, 'rename', () => renameEffect(likely, account.rpId))));
  }
  const words = phrases.word(account, sub, `elsewhere:${likely ?? ''}`, () => {
    let because: string | null = null;
    if (here !== undefined && !readable(here)) because = `and ${here.label} could not be read completely just now (${here.reason ?? here.status}); reconcile again once it can`;
    else if (here !== undefined) because = `not in this computer's ${here.label}, so perhaps on another device`;
    return elsewhereWords(who, likely, because);
  });
  return { status: 'elsewhere', store: likelyStore, storeKind: kindOf(likelyStore, ix), words, actions };
}

/** A credential a second account at the same RP also lists, found in a store here: it works for that account. */
function foundElsewhereHere(entry: ServerEntry, ix: Indexes, found: Passkey): Decision {
  // Rare (two accounts at one RP list the same ID), so its words are not memoised.
  const store = ix.stores.get(found.store);
  return {
    status: 'synced',
    store: found.store,
    storeKind: found.storeKind,
    words: syncedWords(store?.label ?? found.store, whoAt(entry.account.userName, entry.account.rpId)),
    actions: [],
  };
}

function row(entry: ServerEntry, d: Decision): ReconcileRow {
  const { account, credential, key } = entry;
  return {
    key: `server:${account.accountId}:${key}`,
    accountId: account.accountId,
    rpId: account.rpId,
    userHandle: userHandleKey(account.userHandle),
    userName: account.userName,
    credentialId: key,
    store: d.store,
    storeKind: d.storeKind,
    status: d.status,
    title: d.words.title,
    explanation: d.words.explanation,
    actions: d.actions,
    local: null,
    server: credential,
  };
}

export function serverRows(ix: Indexes, phrases: Phrases, out: ReconcileRow[]): void {
  for (const head of ix.server.values()) {
    for (let entry: ServerEntry | null = head; entry; entry = entry.next) {
      if (entry.firstLocal === null) out.push(row(entry, decide(entry, ix, '', phrases)));
    }
  }
  for (const entry of ix.shadowed) {
    const found = lookupServer(ix, entry.rp, entry.key)?.firstLocal ?? null;
    out.push(row(entry, found === null ? decide(entry, ix, '', phrases) : foundElsewhereHere(entry, ix, found)));
  }
}
