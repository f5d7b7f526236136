/**
 * The words a row shows. Each status explains itself with the message users actually meet (PRODUCT.md, the
 * support-article table), so that someone who saw "This passkey can no longer be used" recognises the row.
 */
import { missingCase } from '../errors';
import { shortId } from '../model';
import type { ReconcileStatus } from './types';

export interface Words {
  title: string;
  explanation: string;
}

/** Who and where, as a user would say it: "ana@example.com at example.com". */
export function whoAt(userName: string | null, rpId: string): string {
  // Joined rather than concatenated: one flat string, where `+` would leave a rope that a map lookup keyed on
  // it (Phrases) must first flatten, keeping both.
  return userName ? [userName, ' at ', rpId].join('') : rpId;
}

function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : 'an unknown date';
}

/*
 * The synced and local-orphan sentences are also built from pieces: a store's piece and a user's piece,
 * memoised separately (StoreEntry, AccountEntry) so that a row whose (account, store) pair is new costs one
 * concatenation instead of four to seven. The whole-sentence functions below join the same pieces, so both
 * ways give the same text by construction.
 */
export const SYNCED_TITLE = 'Works: on this device and on the server';
export const syncedStorePiece = (storeLabel: string): string => `Both ${storeLabel} and the server for `;
export const syncedWhoPiece = (who: string): string =>
  `${who} have this passkey, so signing in with it works.`;

export function syncedWords(storeLabel: string, who: string): Words {
  return { title: SYNCED_TITLE, explanation: syncedStorePiece(storeLabel) + syncedWhoPiece(who) };
}

export const LOCAL_ORPHAN_TITLE = '"This passkey can no longer be used"';
export const localOrphanWhoPiece = (who: string, rpId: string): string =>
  `${rpId} no longer accepts this passkey for ${who}: signing in with it fails with "This passkey can no longer ` +
  `be used" (some sites say "passkey not found"). It was removed from the account but is still in `;
export const localOrphanStorePiece = (storeLabel: string): string =>
  `${storeLabel}, so the browser keeps offering it. Delete it here, and set up a new passkey if you need one.`;

export function localOrphanWords(storeLabel: string, who: string, rpId: string): Words {
  return {
    title: LOCAL_ORPHAN_TITLE,
    explanation: localOrphanWhoPiece(who, rpId) + localOrphanStorePiece(storeLabel),
  };
}

export type OrphanReason = { by: 'complete-store' } | { by: 'mark'; markedAt: string };

export function serverOrphanWords(storeLabel: string, who: string, reason: OrphanReason): Words {
  const why =
    reason.by === 'complete-store'
      ? `${storeLabel} was read completely and no longer holds it`
      : `you marked it as deleted in ${storeLabel} on ${day(reason.markedAt)}`;
  return {
    title: `Gone from ${storeLabel}, still on the server`,
    explanation:
      `The server for ${who} still accepts this passkey, but ${why}. No device can sign in with it, and a browser ` +
      `that offers it fails with "We couldn't use your device to verify your identity". Revoke it on the server.`,
  };
}

/** `likely` is the store's name when the AAGUID or the server says it, else null. */
/**
 * A server orphan whose passkey is in the vault's trash: deleting it there may have been a mistake (it can be the
 * account's only one), so restoring comes first; revoking finishes a deletion that was meant.
 */
export function trashedWords(storeLabel: string, who: string): Words {
  return {
    title: `In the ${storeLabel} trash, still on the server`,
    explanation:
      `The server for ${who} still accepts this passkey, and it is in the trash of ${storeLabel}: no device can sign ` +
      `in with it until it is restored. To use it again, restore it (Trash in the app, or passkey-desk vault restore ` +
      `with its ID). If you meant to delete it, revoke it on the server too.`,
  };
}

export function elsewhereWords(who: string, likely: string | null, unreadableBecause: string | null): Words {
  const where = likely ?? 'another device or password manager';
  const because = unreadableBecause ?? 'which Passkey Desk cannot read from here';
  return {
    title: `On the server, kept in ${where}`,
    explanation:
      `The server for ${who} accepts this passkey; it most likely lives in ${where}, ${because}. Nothing to fix if ` +
      `you still use it there. If you deleted it there, mark it as deleted so Passkey Desk can revoke it on the server.`,
  };
}

/** A passkey with Passkey Desk's AAGUID that this computer's vault, read completely, has never held. */
export function otherDeskWords(who: string): Words {
  return {
    title: 'On the server, kept in Passkey Desk on another computer',
    explanation:
      `The server for ${who} accepts this passkey. Passkey Desk made it, but this computer's vault has never held ` +
      `it, so it most likely lives in Passkey Desk on another computer. Nothing to fix if you still use it there. ` +
      `If you deleted it there, mark it as deleted so Passkey Desk can revoke it on the server.`,
  };
}

export type KeeperReason = 'accepted' | 'recent' | 'none-accepted';

export function duplicateWords(
  storeLabel: string,
  who: string,
  count: number,
  keeperId: string,
  keeperReason: KeeperReason,
  keeperLastUsed: string | null,
  thisAccepted: boolean,
): Words {
  const why =
    keeperReason === 'accepted'
      ? 'the server accepts it'
      : keeperReason === 'recent'
        ? `it was used most recently (${day(keeperLastUsed)})`
        : `it was used most recently (${day(keeperLastUsed)}), though the server accepts none of them`;
  const fix = thisAccepted
    ? 'The server still accepts this one too: revoke it there, then delete it here.'
    : 'The server does not accept this one: delete it.';
  return {
    title: '"You already have a passkey" for this account here',
    explanation:
      `${storeLabel} holds ${count} passkeys for ${who}. Adding one more fails with "you already have a passkey", ` +
      `and the browser may offer the wrong one. Passkey Desk keeps ${shortId(keeperId)} because ${why}. ${fix}`,
  };
}

/** Each unmanaged passkey usually has an RP of its own, so its sentence is built per row: in two joins. */
export function unmanagedWords(rpId: string, otherAccountAtRp: boolean): Words {
  return {
    title: 'No connected account',
    explanation: otherAccountAtRp
      ? `This passkey belongs to an account at ${rpId} that is not connected (another account there is), so Passkey Desk cannot tell whether the server still accepts it. Connect the account to reconcile it.`
      : `No account at ${rpId} is connected, so Passkey Desk cannot tell whether the server still accepts it. Connect the account to reconcile it.`,
  };
}

/** For summaries and tooltips: one line per status. */
export function statusLabel(status: ReconcileStatus): string {
  switch (status) {
    case 'synced':
      return 'Works';
    case 'local-orphan':
      return 'No longer accepted by the server';
    case 'server-orphan':
      return 'Gone from its store, still on the server';
    case 'elsewhere':
      return 'Kept in a store not readable here';
    case 'duplicate':
      return 'Duplicate';
    case 'unmanaged':
      return 'No connected account';
    default:
      return missingCase(status);
  }
}
