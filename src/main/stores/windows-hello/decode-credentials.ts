import { CREDENTIAL_DETAILS_SIZE, LIMITS, transportsFromFlags } from './constants';
import type { NativeMemory } from './memory';
import { StructView, corrupt } from './memory';

/** One entry of WebAuthNGetPlatformCredentialList, decoded by its own dwVersion. Fields a version lacks are null. */
export interface PlatformCredential {
  detailsVersion: number;
  credentialId: Uint8Array;
  rpId: string;
  rpName: string | null;
  userId: Uint8Array | null;
  userName: string | null;
  userDisplayName: string | null;
  removable: boolean;
  /** v2+ */
  backedUp: boolean | null;
  /** v3+: the provider holding the passkey ("Windows Hello", or a plugin provider from API 9). */
  authenticatorName: string | null;
  /** v3+: SVG bytes (webauthn.h). */
  authenticatorLogo: Uint8Array | null;
  thirdPartyPayment: boolean | null;
  /** v4+: WebAuthn transport names. */
  transports: string[] | null;
}

// WEBAUTHN_CREDENTIAL_DETAILS offsets (webauthn.h; os-apis.md §1.6).
const D = {
  dwVersion: 0,
  cbCredentialID: 4,
  pbCredentialID: 8,
  pRpInformation: 16,
  pUserInformation: 24,
  bRemovable: 32,
  bBackedUp: 36,
  pwszAuthenticatorName: 40,
  cbAuthenticatorLogo: 48,
  pbAuthenticatorLogo: 56,
  bThirdPartyPayment: 64,
  dwTransports: 68,
} as const;
// WEBAUTHN_RP_ENTITY_INFORMATION (32 bytes) and WEBAUTHN_USER_ENTITY_INFORMATION (40 bytes), both dwVersion 1.
const RP = { size: 32, pwszId: 8, pwszName: 16 } as const;
const USER = { size: 40, cbId: 4, pbId: 8, pwszName: 16, pwszDisplayName: 32 } as const;
// WEBAUTHN_CREDENTIAL_DETAILS_LIST: { DWORD cCredentialDetails; PWEBAUTHN_CREDENTIAL_DETAILS *ppCredentialDetails; }
const LIST = { size: 16, count: 0, items: 8 } as const;

/** The newest CREDENTIAL_DETAILS version this binding knows. Newer versions only append fields, so it reads their v4 prefix. */
export const KNOWN_DETAILS_VERSION = 4;

export function decodeCredentialDetails(memory: NativeMemory, address: bigint): PlatformCredential {
  // Read dwVersion alone first: until it is known, only its 4 bytes are certainly ours.
  const version = new StructView(memory, address, 4, 'WEBAUTHN_CREDENTIAL_DETAILS').u32(D.dwVersion);
  if (version < 1)
    throw corrupt(
      `WEBAUTHN_CREDENTIAL_DETAILS.dwVersion is ${version}; expected 1 to ${KNOWN_DETAILS_VERSION}`,
    );
  const known = Math.min(version, KNOWN_DETAILS_VERSION) as 1 | 2 | 3 | 4;
  const d = new StructView(
    memory,
    address,
    CREDENTIAL_DETAILS_SIZE[known],
    `WEBAUTHN_CREDENTIAL_DETAILS v${version}`,
  );

  const credentialId = d.byteField(
    D.cbCredentialID,
    D.pbCredentialID,
    LIMITS.maxCredentialIdBytes,
    'pbCredentialID',
  );
  if (!credentialId || credentialId.length === 0) throw corrupt('a credential has an empty credential ID');

  const rpPtr = d.pointer(D.pRpInformation);
  if (rpPtr === 0n) throw corrupt('a credential has no pRpInformation');
  const rp = new StructView(memory, rpPtr, RP.size, 'WEBAUTHN_RP_ENTITY_INFORMATION');
  const rpId = rp.string(RP.pwszId);
  if (!rpId) throw corrupt('a credential has no RP ID');

  const userPtr = d.pointer(D.pUserInformation);
  const user =
    userPtr === 0n ? null : new StructView(memory, userPtr, USER.size, 'WEBAUTHN_USER_ENTITY_INFORMATION');
  const userId = user ? user.byteField(USER.cbId, USER.pbId, LIMITS.maxUserIdBytes, 'pbId') : null;

  return {
    detailsVersion: version,
    credentialId,
    rpId,
    rpName: rp.string(RP.pwszName),
    userId: userId && userId.length > 0 ? userId : null,
    userName: user ? user.string(USER.pwszName) : null,
    userDisplayName: user ? user.string(USER.pwszDisplayName) : null,
    removable: d.bool(D.bRemovable),
    backedUp: known >= 2 ? d.bool(D.bBackedUp) : null,
    authenticatorName: known >= 3 ? d.string(D.pwszAuthenticatorName) : null,
    authenticatorLogo:
      known >= 3
        ? d.byteField(
            D.cbAuthenticatorLogo,
            D.pbAuthenticatorLogo,
            LIMITS.maxLogoBytes,
            'pbAuthenticatorLogo',
          )
        : null,
    thirdPartyPayment: known >= 3 ? d.bool(D.bThirdPartyPayment) : null,
    transports: known >= 4 ? transportsFromFlags(d.u32(D.dwTransports)) : null,
  };
}

/** WEBAUTHN_CREDENTIAL_DETAILS_LIST: an array of *pointers* to details (os-apis.md §6, gotcha 2). */
export function decodeCredentialDetailsList(memory: NativeMemory, address: bigint): PlatformCredential[] {
  const list = new StructView(memory, address, LIST.size, 'WEBAUTHN_CREDENTIAL_DETAILS_LIST');
  const count = list.u32(LIST.count);
  if (count > LIMITS.maxListEntries)
    throw corrupt(`the list claims ${count} entries; at most ${LIMITS.maxListEntries} are expected`);
  if (count === 0) return [];
  const items = new StructView(memory, list.pointer(LIST.items), count * 8, 'ppCredentialDetails');
  const out: PlatformCredential[] = [];
  for (let i = 0; i < count; i++) out.push(decodeCredentialDetails(memory, items.pointer(i * 8)));
  return out;
}
