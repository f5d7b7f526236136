/**
 * The actions a row proposes. Ids are built from the target only (kind, store or account, credential ID), so the
 * same inventory always proposes the same ids and a user's selection survives a re-read. Callers pass the id
 * already built from a prefix memoised per store or account (`delete-local:<store>:` + key), and the effect
 * already worded (see the *Effect builders): rows share them, and the callers memoise them.
 */
import type { AccountEntry } from './indexes';
import type { ActionKind, Guard, ProposedAction } from './types';

/**
 * Every action is built here, target included, with its fields in one order: one object shape for all kinds,
 * so that code reading actions (the plan, the UI) stays monomorphic. Each action gets its own target object:
 * callers may hold on to or change a result without affecting another row.
 */
function action(
  id: string,
  kind: ActionKind,
  store: string | null,
  key: string,
  accountId: string | null,
  rpId: string,
  newName: string | null,
  effect: string,
  undoable: boolean,
  guard: Guard | null,
  safe: boolean,
): ProposedAction {
  return {
    id,
    kind,
    target: { store, credentialId: key, accountId, rpId, newName },
    effect,
    undoable,
    safe,
    guard,
  };
}

/* Delete and rename effects are joined from a user's piece and a store's piece (memoised apart), see explain.ts. */
export const deleteWhoPiece = (who: string): string => `Deletes this passkey for ${who} from `;
export const deleteStorePiece = (storeLabel: string, undoable: boolean): string =>
  `${storeLabel}; ${undoable ? 'it goes to the trash and can be restored' : 'this cannot be undone'}.`;
export const deleteEffect = (who: string, storeLabel: string, undoable: boolean): string =>
  deleteWhoPiece(who) + deleteStorePiece(storeLabel, undoable);
/*
 * The same sentence split around "who" for a user no account names: nearly every such row has a "who" of its
 * own, so nothing per user is worth memoising, and DELETE_LEAD + who + the store's memoised piece is two joins.
 */
export const DELETE_LEAD = 'Deletes this passkey for ';
export const deleteFromStorePiece = (storeLabel: string, undoable: boolean): string =>
  ` from ${deleteStorePiece(storeLabel, undoable)}`;
export const revokeEffect = (who: string, serverUrl: string): string =>
  `Removes this passkey from ${who} on ${serverUrl}; no device can sign in with it afterwards, and this cannot be undone.`;
export const openEffect = (storeLabel: string): string =>
  `Shows where to manage passkeys in ${storeLabel}; you delete it there yourself.`;
export const connectEffect = (rpId: string): string =>
  `Starts connecting your account at ${rpId} so this passkey can be compared with the server.`;
export const renameNamePiece = (newName: string): string => `Names this passkey "${newName}`;
export const renameRpPiece = (rpId: string): string =>
  `" in your account at ${rpId}, so you can tell it apart in the site's list.`;
export const renameEffect = (newName: string, rpId: string): string =>
  renameNamePiece(newName) + renameRpPiece(rpId);
export const markEffect = (storeLabel: string): string =>
  `Records that you deleted this passkey in ${storeLabel}, so Passkey Desk can offer to revoke it on the server.`;

/**
 * Deleting locally (`id`: `delete-local:<store>:<key><suffix>`). `guard` is 'still-accepted' when the server
 * accepts it (or nobody can say it does not): deleting a working passkey can lock the user out, so that needs
 * an explicit override or a revoke first. The suffix tells apart two rows for one credential in one store.
 */
export function deleteLocal(
  id: string,
  store: string,
  key: string,
  accountId: string | null,
  rpId: string,
  undoable: boolean,
  guard: Guard | null,
  effect: string,
): ProposedAction {
  return action(
    id,
    'delete-local',
    store,
    key,
    accountId,
    rpId,
    null,
    effect,
    undoable,
    guard,
    guard === null,
  );
}

/** `id`: `open-store:<store>:<account id or ''>:<key><suffix>`. Done by hand, so never safe and never undoable here. */
export function openStore(
  id: string,
  store: string,
  key: string,
  accountId: string | null,
  rpId: string,
  effect: string,
): ProposedAction {
  return action(id, 'open-store', store, key, accountId, rpId, null, effect, false, null, false);
}

/** `id`: `connect-account:<store>:<key><suffix>`. */
export function connectAccount(
  id: string,
  store: string,
  key: string,
  rpId: string,
  effect: string,
): ProposedAction {
  return action(id, 'connect-account', store, key, null, rpId, null, effect, false, null, false);
}

/** Revoking on the server; guarded when the account accepts only this one credential right now. */
export function revokeServer(acct: AccountEntry, key: string, effect: string): ProposedAction {
  const guard: Guard | null = acct.accepted <= 1 ? 'last-passkey' : null;
  return action(
    acct.revokePrefix + key,
    'revoke-server',
    null,
    key,
    acct.account.accountId,
    acct.account.rpId,
    null,
    effect,
    false,
    guard,
    guard === null,
  );
}

/** Naming an unnamed server credential after the store that holds it, so the site's own list makes sense. */
export function renameServer(
  acct: AccountEntry,
  key: string,
  newName: string,
  effect: string,
): ProposedAction {
  return action(
    acct.renamePrefix + key,
    'rename-server',
    null,
    key,
    acct.account.accountId,
    acct.account.rpId,
    newName,
    effect,
    false,
    null,
    true,
  );
}

/**
 * Recording "I deleted it there". Never safe by default: only the user knows it is true, and it turns the
 * credential into one Passkey Desk offers to revoke.
 */
export function markDeleted(acct: AccountEntry, key: string, store: string, effect: string): ProposedAction {
  return action(
    acct.markPrefix + key,
    'mark-deleted',
    store,
    key,
    acct.account.accountId,
    acct.account.rpId,
    null,
    effect,
    true,
    null,
    false,
  );
}
