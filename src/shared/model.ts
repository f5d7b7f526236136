/**
 * The passkey model shared by every layer. Binary fields are base64url strings so that the model crosses
 * IPC, JSON output and the server unchanged.
 */

export type StoreKind = 'vault' | 'windows-hello' | 'security-key' | 'export' | 'guided';

export const STORE_KINDS: readonly StoreKind[] = [
  'vault',
  'windows-hello',
  'security-key',
  'export',
  'guided',
];

export interface Passkey {
  /** Store instance id: `vault`, `windows-hello`, `security-key:<serial>`, `export:<file id>`, `guided:<name>`. */
  store: string;
  storeKind: StoreKind;
  /** Credential ID, canonical base64url. */
  credentialId: string;
  rpId: string;
  /** User handle (user.id), canonical base64url, or null when the store does not keep it. */
  userHandle: string | null;
  userName: string | null;
  userDisplayName: string | null;
  /** A local nickname (Passkey Desk's own label); never sent to a server. */
  nickname: string | null;
  /** ISO 8601. */
  createdAt: string | null;
  lastUsedAt: string | null;
  /** COSE algorithm identifier (-7 ES256, -8 EdDSA, -257 RS256). */
  algorithm: number | null;
  /** AAGUID as a lowercase UUID string. */
  aaguid: string | null;
  providerName: string | null;
  backupEligible: boolean | null;
  backedUp: boolean | null;
  discoverable: boolean | null;
  /** Whether this store lets this particular passkey be deleted from here. */
  removable: boolean;
}

export type StoreStatus = 'available' | 'unavailable' | 'locked' | 'needs-pin' | 'error';

export interface StoreCapabilities {
  list: boolean;
  delete: boolean;
  rename: boolean;
  create: boolean;
  sign: boolean;
  /** Deleted passkeys go to a trash and can be restored. */
  restore: boolean;
}

export interface ManualSteps {
  /** Where a user manages passkeys in that store, step by step. */
  steps: string[];
  /** A deep link the OS offers (e.g. `ms-settings:savedpasskeys`), opened only through the allow-list. */
  link: string | null;
}

export interface StoreInfo {
  id: string;
  kind: StoreKind;
  label: string;
  status: StoreStatus;
  /** Why the store is not available, in plain words (null when available). */
  reason: string | null;
  capabilities: StoreCapabilities;
  /**
   * True when a successful list returns everything the store holds. Reconciliation only calls a server passkey
   * `server-orphan` when the store that should hold it was read completely.
   */
  complete: boolean;
  /** The number of passkeys listed, when listed. */
  count: number | null;
  manage: ManualSteps | null;
  /** Extra facts a store wants to show (API version, remaining slots, file path). Never secrets. */
  facts: Record<string, string | number | boolean>;
}

export interface Inventory {
  passkeys: Passkey[];
  stores: StoreInfo[];
  /** ISO time the inventory was read. */
  readAt: string;
}

export interface TrashEntry {
  passkey: Passkey;
  deletedAt: string;
}

/** A registration response in the WebAuthn JSON shape (what SimpleWebAuthn verifies). */
export interface RegistrationResponseJSON {
  id: string;
  rawId: string;
  type: 'public-key';
  response: {
    clientDataJSON: string;
    attestationObject: string;
    authenticatorData: string;
    publicKey: string;
    publicKeyAlgorithm: number;
    transports: string[];
  };
  clientExtensionResults: Record<string, never>;
  authenticatorAttachment: 'platform' | 'cross-platform';
}

/** An authentication response in the WebAuthn JSON shape. */
export interface AuthenticationResponseJSON {
  id: string;
  rawId: string;
  type: 'public-key';
  response: {
    clientDataJSON: string;
    authenticatorData: string;
    signature: string;
    userHandle?: string;
  };
  clientExtensionResults: Record<string, never>;
  authenticatorAttachment: 'platform' | 'cross-platform';
}

export function shortId(credentialId: string): string {
  return credentialId.length <= 12 ? credentialId : `${credentialId.slice(0, 6)}…${credentialId.slice(-4)}`;
}
