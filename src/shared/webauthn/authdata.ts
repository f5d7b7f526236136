import { decodePartialCBOR } from '@levischuck/tiny-cbor';
import { bytesToUuid, concatBytes, uuidToBytes } from '../base64url';

/**
 * Authenticator data (WebAuthn L3 §6.1): rpIdHash(32) ‖ flags(1) ‖ signCount(4, big-endian)
 * ‖ [attestedCredentialData: aaguid(16) ‖ credentialIdLength(2) ‖ credentialId ‖ credentialPublicKey (COSE)]
 * ‖ [extensions (CBOR map)].
 */
export const FLAG_UP = 0x01;
export const FLAG_UV = 0x04;
export const FLAG_BE = 0x08;
export const FLAG_BS = 0x10;
export const FLAG_AT = 0x40;
export const FLAG_ED = 0x80;

export interface AuthenticatorData {
  rpIdHash: Uint8Array;
  flags: {
    userPresent: boolean;
    userVerified: boolean;
    backupEligible: boolean;
    backedUp: boolean;
    attestedCredentialData: boolean;
    extensionData: boolean;
  };
  signCount: number;
  attestedCredential: { aaguid: string; credentialId: Uint8Array; publicKey: Uint8Array } | null;
  extensions: Uint8Array | null;
}

export class AuthenticatorDataError extends Error {
  override readonly name = 'AuthenticatorDataError';
}

export function encodeAuthenticatorData(data: AuthenticatorData): Uint8Array {
  if (data.rpIdHash.length !== 32)
    throw new AuthenticatorDataError(`rpIdHash must be 32 bytes, got ${data.rpIdHash.length}`);
  if (!Number.isInteger(data.signCount) || data.signCount < 0 || data.signCount > 0xffffffff) {
    throw new AuthenticatorDataError(`signCount must be a 32-bit unsigned integer, got ${data.signCount}`);
  }
  const f = data.flags;
  const flags =
    (f.userPresent ? FLAG_UP : 0) |
    (f.userVerified ? FLAG_UV : 0) |
    (f.backupEligible ? FLAG_BE : 0) |
    (f.backedUp ? FLAG_BS : 0) |
    (data.attestedCredential ? FLAG_AT : 0) |
    (data.extensions ? FLAG_ED : 0);
  const head = new Uint8Array(37);
  head.set(data.rpIdHash, 0);
  head[32] = flags;
  new DataView(head.buffer).setUint32(33, data.signCount);
  const parts: Uint8Array[] = [head];
  const ac = data.attestedCredential;
  if (ac) {
    if (ac.credentialId.length > 1023)
      throw new AuthenticatorDataError('credential ID longer than 1023 bytes');
    const len = new Uint8Array(2);
    new DataView(len.buffer).setUint16(0, ac.credentialId.length);
    parts.push(uuidToBytes(ac.aaguid), len, ac.credentialId, ac.publicKey);
  }
  if (data.extensions) parts.push(data.extensions);
  return concatBytes(...parts);
}

/** Parses authenticator data; throws AuthenticatorDataError (never anything else) on malformed input. */
export function decodeAuthenticatorData(bytes: Uint8Array): AuthenticatorData {
  if (bytes.length < 37)
    throw new AuthenticatorDataError(`authenticator data is ${bytes.length} bytes, expected at least 37`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flagsByte = bytes[32]!;
  const flags = {
    userPresent: (flagsByte & FLAG_UP) !== 0,
    userVerified: (flagsByte & FLAG_UV) !== 0,
    backupEligible: (flagsByte & FLAG_BE) !== 0,
    backedUp: (flagsByte & FLAG_BS) !== 0,
    attestedCredentialData: (flagsByte & FLAG_AT) !== 0,
    extensionData: (flagsByte & FLAG_ED) !== 0,
  };
  if (flags.backedUp && !flags.backupEligible)
    throw new AuthenticatorDataError('BS flag set without BE (§6.1.3)');
  let offset = 37;
  let attestedCredential: AuthenticatorData['attestedCredential'] = null;
  let extensions: Uint8Array | null = null;
  if (flags.attestedCredentialData) {
    if (bytes.length < offset + 18)
      throw new AuthenticatorDataError('attested credential data truncated before the credential ID length');
    const aaguid = bytesToUuid(bytes.slice(offset, offset + 16));
    const idLength = view.getUint16(offset + 16);
    offset += 18;
    if (bytes.length < offset + idLength)
      throw new AuthenticatorDataError(`credential ID length ${idLength} exceeds the data`);
    const credentialId = bytes.slice(offset, offset + idLength);
    offset += idLength;
    // The COSE key is one CBOR item; its encoded length tells where extensions (if any) start.
    const keyLength = cborItemLength(bytes, offset);
    const publicKey = bytes.slice(offset, offset + keyLength);
    offset += keyLength;
    attestedCredential = { aaguid, credentialId, publicKey };
    if (flags.extensionData) {
      const extLength = cborItemLength(bytes, offset);
      extensions = bytes.slice(offset, offset + extLength);
      offset += extLength;
    }
  } else if (flags.extensionData) {
    const extLength = cborItemLength(bytes, offset);
    extensions = bytes.slice(offset, offset + extLength);
    offset += extLength;
  }
  if (offset !== bytes.length)
    throw new AuthenticatorDataError(`${bytes.length - offset} unexpected trailing byte(s)`);
  return {
    rpIdHash: bytes.slice(0, 32),
    flags,
    signCount: view.getUint32(33),
    attestedCredential,
    extensions,
  };
}

/** The byte length of the one CBOR item that starts at `offset`. */
function cborItemLength(bytes: Uint8Array, offset: number): number {
  if (offset >= bytes.length)
    throw new AuthenticatorDataError(`expected a CBOR item at byte ${offset}, found the end of the data`);
  try {
    return decodePartialCBOR(bytes, offset)[1];
  } catch (e) {
    throw new AuthenticatorDataError(
      `malformed CBOR at byte ${offset}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
