import { fromBase64url, toBase64url } from '../../../shared/base64url';
import { PASSKEY_DESK_AAGUID } from '../../../shared/aaguid';
import { PasskeyDeskError } from '../../../shared/errors';
import type { Passkey } from '../../../shared/model';
import type { VaultFile, VaultRecord } from './vault-file';

export const VAULT_LABEL = 'Passkey Desk vault';

/** Associated data binding a sealed key to its credential and site, so sealed keys cannot be swapped between records. */
export function aad(credentialId: string, rpId: string): string {
  return `passkey-desk/v1|${rpId}|${credentialId}`;
}

/** The record with this credential ID in the given state; NOT_FOUND (with how to list IDs) otherwise. */
export function find(
  vault: VaultFile | null,
  credentialId: string,
  state: 'live' | 'trashed' | 'any',
): VaultRecord {
  let id: string;
  try {
    id = toBase64url(fromBase64url(credentialId));
  } catch {
    throw new PasskeyDeskError(
      'INVALID_INPUT',
      `"${credentialId}" is not a credential ID (expected base64url).`,
    );
  }
  const record = vault?.passkeys.find(
    (r) => r.credentialId === id && (state === 'any' || (state === 'live') === !r.trashedAt),
  );
  if (!record) {
    // In the other state? Then say where it is and what to do, rather than "no passkey".
    const other = vault?.passkeys.find((r) => r.credentialId === id);
    if (other && state === 'trashed')
      throw new PasskeyDeskError(
        'NOT_FOUND',
        `The passkey ${credentialId} is not in the vault trash: it is in the vault, not deleted, so there is nothing to restore or purge (delete it first: passkey-desk vault delete ${credentialId}).`,
      );
    if (other && state === 'live')
      throw new PasskeyDeskError(
        'NOT_FOUND',
        `The passkey ${credentialId} is already in the vault trash: restore it with passkey-desk vault restore ${credentialId}, or destroy it with passkey-desk vault purge ${credentialId} --yes.`,
      );
    const [where, list] =
      state === 'trashed'
        ? ['in the vault trash', '`passkey-desk vault trash`']
        : ['in the vault', '`passkey-desk inventory`'];
    throw new PasskeyDeskError(
      'NOT_FOUND',
      `No passkey with credential ID ${credentialId} ${where}. Run ${list} to see the IDs.`,
    );
  }
  return record;
}

/** A vault record as the shared passkey model (never with key material). */
export function toPasskey(r: VaultRecord): Passkey {
  return {
    store: 'vault',
    storeKind: 'vault',
    credentialId: r.credentialId,
    rpId: r.rpId,
    userHandle: r.userHandle,
    userName: r.userName,
    userDisplayName: r.userDisplayName,
    nickname: r.nickname,
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
    algorithm: r.algorithm,
    aaguid: PASSKEY_DESK_AAGUID,
    providerName: VAULT_LABEL,
    backupEligible: false,
    backedUp: false,
    discoverable: true,
    removable: true,
  };
}
