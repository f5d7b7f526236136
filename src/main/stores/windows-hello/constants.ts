/**
 * Numbers from webauthn.h (microsoft/webauthn, API v9) and winerror.h that the binding needs. Offsets and
 * per-version sizes are the x64 values in os-apis.md §1.6/§1.7; they are the same on Linux x86-64 with the
 * fixed-width type mapping the C stand-in uses.
 */

/** HRESULTs as unsigned 32-bit values; compare with `hr >>> 0`. */
export const HRESULT = {
  S_OK: 0x00000000,
  E_NOTIMPL: 0x80004001,
  E_ACCESSDENIED: 0x80070005,
  NTE_EXISTS: 0x8009000f,
  NTE_NOT_FOUND: 0x80090011,
  NTE_TOKEN_KEYSET_STORAGE_FULL: 0x80090023,
  NTE_INVALID_PARAMETER: 0x80090027,
  NTE_NOT_SUPPORTED: 0x80090029,
  NTE_DEVICE_NOT_FOUND: 0x80090035,
  NTE_USER_CANCELLED: 0x80090036,
  ERROR_NOT_SUPPORTED: 0x80070032,
  ERROR_CANCELLED: 0x800704c7,
  ERROR_TIMEOUT: 0x800705b4,
} as const;

/** The API version each feature needs (webauthn.h version comment block). */
export const MIN_API = {
  /** WebAuthNGetPlatformCredentialList / FreePlatformCredentialList / DeletePlatformCredential. */
  platformCredentials: 4,
  /** WebAuthNGetAuthenticatorList / FreeAuthenticatorList. */
  authenticatorList: 9,
} as const;

/**
 * The newest options-struct version a DLL of this API level understands. Callers set dwVersion to this value,
 * never to the newest the header knows: an older DLL may refuse a version it does not know (libraries such as
 * Teleport's and libfido2's clamp the same way).
 */
export function makeCredentialOptionsVersion(api: number): number {
  if (api >= 7) return Math.min(api, 9);
  if (api === 6) return 6;
  if (api >= 4) return 5;
  return api === 3 ? 4 : 3;
}

export function getAssertionOptionsVersion(api: number): number {
  if (api >= 7) return Math.min(api, 9);
  if (api >= 4) return 6;
  return api === 3 ? 5 : 4;
}

/** Bytes the DLL allocates for WEBAUTHN_CREDENTIAL_DETAILS at each dwVersion (v1–v2: 40, v3–v4: 72). */
export const CREDENTIAL_DETAILS_SIZE: Readonly<Record<1 | 2 | 3 | 4, number>> = {
  1: 40,
  2: 40,
  3: 72,
  4: 72,
};
/** WEBAUTHN_ASSERTION size per dwVersion (v1 72 … v6 168). */
export const ASSERTION_SIZE: Readonly<Record<1 | 2 | 3 | 4 | 5 | 6, number>> = {
  1: 72,
  2: 112,
  3: 120,
  4: 128,
  5: 136,
  6: 168,
};
/** WEBAUTHN_CREDENTIAL_ATTESTATION size per dwVersion (v1 96 … v8 192). */
export const ATTESTATION_SIZE: Readonly<Record<1 | 2 | 3 | 4 | 5 | 6 | 7 | 8, number>> = {
  1: 96,
  2: 112,
  3: 120,
  4: 128,
  5: 136,
  6: 144,
  7: 160,
  8: 192,
};

/** WEBAUTHN_CTAP_TRANSPORT_* bit flags → WebAuthn transport strings. */
export const TRANSPORT_FLAGS: readonly (readonly [number, string])[] = [
  [0x01, 'usb'],
  [0x02, 'nfc'],
  [0x04, 'ble'],
  [0x08, 'test'],
  [0x10, 'internal'],
  [0x20, 'hybrid'],
  [0x40, 'smart-card'],
];

export function transportsFromFlags(flags: number): string[] {
  return TRANSPORT_FLAGS.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
}

export const AUTHENTICATOR_ATTACHMENT_PLATFORM = 1;
export const USER_VERIFICATION_REQUIRED = 1;
export const ATTESTATION_CONVEYANCE_NONE = 1;
export const COSE_ES256 = -7;
export const COSE_RS256 = -257;

/** Sanity limits for values read from the DLL: WebAuthn caps credential IDs at 1023 bytes, user IDs at 64. */
export const LIMITS = {
  maxListEntries: 100_000,
  maxCredentialIdBytes: 1023,
  maxUserIdBytes: 64,
  maxLogoBytes: 1 << 20,
  maxAuthenticatorIdBytes: 1024,
  maxAuthDataBytes: 1 << 16,
} as const;
