import type { SecretStore } from '../../keyring';
import type { UserVerifier } from '../../verify/user-verifier';

/** What the vault is built from and what its operations take. */
export interface VaultOptions {
  dataDir: string;
  secrets: SecretStore;
  verifier: UserVerifier;
  now?: () => Date;
}

export interface CreateInput {
  rpId: string;
  userName: string;
  userDisplayName?: string;
  /** base64url user handle chosen by the RP; a random 32-byte one when absent. */
  userHandle?: string;
  origin?: string;
  challenge?: string;
  excludeCredentialIds?: string[];
}

export interface SignInput {
  rpId: string;
  origin: string;
  challenge: string;
  allowCredentialIds?: string[];
}

export interface ImportInput {
  rpId: string;
  credentialId: string;
  userHandle: string;
  userName: string;
  userDisplayName: string;
  privateKeyPkcs8: Uint8Array;
  signCount: number;
  createdAt: string | null;
  origin: string;
}
