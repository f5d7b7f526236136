/**
 * Builders for reconcile tests: a plain inventory with sensible defaults, overridden per case.
 */
import type { Passkey, StoreInfo, StoreKind } from '../../src/shared/model';
import type {
  ConnectedAccount,
  DeletionMark,
  ReconcileInputs,
  RetiredCredential,
  ServerCredential,
} from '../../src/shared/reconcile';

export const RP = 'example.com';
export const HANDLE = 'dXNlci0x'; // base64url of "user-1"
export const USER = 'ana@example.com';

export function store(id: string, kind: StoreKind, over: Partial<StoreInfo> = {}): StoreInfo {
  return {
    id,
    kind,
    label: kind === 'vault' ? 'Passkey Desk vault' : id,
    status: 'available',
    reason: null,
    capabilities: {
      list: true,
      delete: kind !== 'export',
      rename: false,
      create: kind === 'vault',
      sign: true,
      restore: kind === 'vault',
    },
    complete: true,
    count: null,
    manage: null,
    facts: {},
    ...over,
  };
}

export function passkey(credentialId: string, over: Partial<Passkey> = {}): Passkey {
  return {
    store: 'vault',
    storeKind: 'vault',
    credentialId,
    rpId: RP,
    userHandle: HANDLE,
    userName: USER,
    userDisplayName: null,
    nickname: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    lastUsedAt: null,
    algorithm: -7,
    aaguid: null,
    providerName: null,
    backupEligible: false,
    backedUp: false,
    discoverable: true,
    removable: true,
    ...over,
  };
}

export function cred(credentialId: string, over: Partial<ServerCredential> = {}): ServerCredential {
  return {
    credentialId,
    name: 'named',
    createdAt: '2025-01-01T00:00:00.000Z',
    lastUsedAt: null,
    aaguid: null,
    providerName: null,
    transports: [],
    backupEligible: null,
    backedUp: null,
    deviceType: null,
    ...over,
  };
}

export function account(
  credentials: ServerCredential[],
  over: Partial<ConnectedAccount> = {},
): ConnectedAccount {
  return {
    accountId: 'acct-1',
    rpId: RP,
    userHandle: HANDLE,
    userName: USER,
    serverUrl: 'https://example.com',
    credentials,
    ...over,
  };
}

export function mark(credentialId: string | null, over: Partial<DeletionMark> = {}): DeletionMark {
  return {
    rpId: RP,
    credentialId,
    userHandle: null,
    store: 'guided:apple',
    markedAt: '2025-06-01T00:00:00.000Z',
    ...over,
  };
}

/** A passkey the vault held and holds no longer (trash or purged): its server credential is an orphan. */
export function gone(credentialId: string, over: Partial<RetiredCredential> = {}): RetiredCredential {
  return { store: 'vault', rpId: RP, credentialId, ...over };
}

export const STORES: StoreInfo[] = [
  store('vault', 'vault'),
  store('windows-hello', 'windows-hello'),
  store('export:1', 'export'),
];

export function inputs(over: Partial<ReconcileInputs> = {}): ReconcileInputs {
  return { passkeys: [], stores: STORES, accounts: [], marks: [], retired: [], ...over };
}

/** base64url IDs of n bytes, distinct per seed. */
export function id(seed: number, bytes = 16): string {
  return Buffer.from(Array.from({ length: bytes }, (_, i) => (seed * 31 + i * 7) & 0xff)).toString(
    'base64url',
  );
}
