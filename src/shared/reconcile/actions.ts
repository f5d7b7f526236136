/**
 * The actions a row proposes. Ids are built from the target only (kind, store or account, credential ID), so the
 * same inventory always proposes the same ids and a user's selection survives a re-read. Effects are passed in
 * already worded (see the *Effect builders): rows share them, and the callers memoise them.
 */
import type { Passkey, StoreInfo } from '../model';
import type { ActionTarget, ConnectedAccount, Guard, ProposedAction } from './types';

function target(store: string | null, key: string, accountId: string | null, rpId: string, newName: string | null = null): ActionTarget {
  return { store, credentialId: key, accountId, rpId, newName };
}

/** A store that can delete this very passkey from here; otherwise the user does it by hand (open-store). */
export function canDeleteHere(store: StoreInfo | undefined, passkey: Passkey): boolean {
  return store !== undefined && store.capabilities.delete && passkey.removable;
}

/** Vault deletions go to the trash; every other store deletes for good. */
export function undoableHere(store: StoreInfo | undefined): boolean {
  return store?.capabilities.restore ?? false;
}

export const deleteEffect = (who: string, storeLabel: string, undoable: boolean): string =>
  `Deletes this passkey for ${who} from ${storeLabel}; ${undoable ? 'it goes to the trash and can be restored' : 'this cannot be undone'}.`;
export const revokeEffect = (who: string, serverUrl: string): string =>
  `Removes this passkey from ${who} on ${serverUrl}; no device can sign in with it afterwards, and this cannot be undone.`;
export const openEffect = (storeLabel: string): string => `Shows where to manage passkeys in ${storeLabel}; you delete it there yourself.`;
export const connectEffect = (rpId: string): string =>
  `Starts connecting your account at ${rpId} so this passkey can be compared with the server.`;
export const renameEffect = (newName: string, rpId: string): string =>
  `Names this passkey "${newName}" in your account at ${rpId}, so you can tell it apart in the site's list.`;
export const markEffect = (storeLabel: string): string =>
  `Records that you deleted this passkey in ${storeLabel}, so Passkey Desk can offer to revoke it on the server.`;

/**
 * Deleting locally. `guard` is 'still-accepted' when the server accepts it (or nobody can say it does not):
 * deleting a working passkey can lock the user out, so that needs an explicit override or a revoke first.
 * `suffix` tells apart two rows for one credential in one store (an export listing it twice).
 */
export function deleteLocal(passkey: Passkey, key: string, accountId: string | null, suffix: string, undoable: boolean, guard: Guard | null, effect: string): ProposedAction {
  return {
    id: `delete-local:${passkey.store}:${key}${suffix}`,
    kind: 'delete-local',
    target: target(passkey.store, key, accountId, passkey.rpId),
    effect,
    undoable,
    safe: guard === null,
    guard,
  };
}

export function openStore(storeId: string, key: string, rpId: string, accountId: string | null, suffix: string, effect: string): ProposedAction {
  return { id: `open-store:${storeId}:${accountId ?? ''}:${key}${suffix}`, kind: 'open-store', target: target(storeId, key, accountId, rpId), effect, undoable: false, safe: false, guard: null };
}

export function connectAccount(passkey: Passkey, key: string, suffix: string, effect: string): ProposedAction {
  return {
    id: `connect-account:${passkey.store}:${key}${suffix}`,
    kind: 'connect-account',
    target: target(passkey.store, key, null, passkey.rpId),
    effect,
    undoable: false,
    safe: false,
    guard: null,
  };
}

/** Revoking on the server. `acceptedCount` is how many credentials the account accepts right now. */
export function revokeServer(account: ConnectedAccount, key: string, acceptedCount: number, effect: string): ProposedAction {
  const guard: Guard | null = acceptedCount <= 1 ? 'last-passkey' : null;
  return {
    id: `revoke-server:${account.accountId}:${key}`,
    kind: 'revoke-server',
    target: target(null, key, account.accountId, account.rpId),
    effect,
    undoable: false,
    safe: guard === null,
    guard,
  };
}

/** Naming an unnamed server credential after the store that holds it, so the site's own list makes sense. */
export function renameServer(account: ConnectedAccount, key: string, newName: string, effect: string): ProposedAction {
  return {
    id: `rename-server:${account.accountId}:${key}`,
    kind: 'rename-server',
    target: target(null, key, account.accountId, account.rpId, newName),
    effect,
    undoable: false,
    safe: true,
    guard: null,
  };
}

/**
 * Recording "I deleted it there". Never safe by default: only the user knows it is true, and it turns the
 * credential into one Passkey Desk offers to revoke.
 */
export function markDeleted(account: ConnectedAccount, key: string, store: string, effect: string): ProposedAction {
  return {
    id: `mark-deleted:${account.accountId}:${key}`,
    kind: 'mark-deleted',
    target: target(store, key, account.accountId, account.rpId),
    effect,
    undoable: true,
    safe: false,
    guard: null,
  };
}
