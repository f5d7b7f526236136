import type { Passkey } from '../model';
import type { ImportedPasskey } from './types';

/**
 * The inventory view of an imported passkey: exactly the Passkey fields, so no private key (or any other
 * import-only field) can reach a store file, IPC or JSON output by accident.
 */
export function toInventoryPasskey(p: ImportedPasskey): Passkey {
  return {
    store: p.store,
    storeKind: p.storeKind,
    credentialId: p.credentialId,
    rpId: p.rpId,
    userHandle: p.userHandle,
    userName: p.userName,
    userDisplayName: p.userDisplayName,
    nickname: p.nickname,
    createdAt: p.createdAt,
    lastUsedAt: p.lastUsedAt,
    algorithm: p.algorithm,
    aaguid: p.aaguid,
    providerName: p.providerName,
    backupEligible: p.backupEligible,
    backedUp: p.backedUp,
    discoverable: p.discoverable,
    removable: p.removable,
  };
}
