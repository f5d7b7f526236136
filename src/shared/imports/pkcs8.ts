import type { KeyAlgorithm } from './types';

/**
 * Reads just enough of a PKCS#8 `PrivateKeyInfo` (RFC 5208 §5, RFC 5958 §2) to name its algorithm, without
 * node:crypto, so the renderer can preview a file too. Whether the key itself is sound is checked by
 * node:crypto when a passkey moves into the vault.
 *
 *   PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier,
 *                                 privateKey OCTET STRING, attributes [0] OPTIONAL, publicKey [1] OPTIONAL }
 *   AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }
 */

export type Pkcs8Reading =
  | { ok: true; algorithm: KeyAlgorithm }
  /** A well-formed key of an algorithm passkeys here do not use (e.g. P-384). */
  | { ok: true; algorithm: null; unsupported: string }
  | { ok: false; reason: string };

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

/** One DER TLV at `at`; null when the lengths run past `limit` or use forms DER forbids. */
function readTlv(bytes: Uint8Array, at: number, limit: number): Tlv | null {
  if (at + 2 > limit) return null;
  const tag = bytes[at]!;
  let length = bytes[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 3 || start + n > limit) return null;
    length = 0;
    for (let i = 0; i < n; i++) length = (length << 8) | bytes[start + i]!;
    start += n;
  }
  const end = start + length;
  return end > limit ? null : { tag, start, end };
}

function hex(bytes: Uint8Array, tlv: Tlv): string {
  let out = '';
  for (let i = tlv.start; i < tlv.end; i++) out += bytes[i]!.toString(16).padStart(2, '0');
  return out;
}

const OID_EC_PUBLIC_KEY = '2a8648ce3d0201'; // 1.2.840.10045.2.1
const OID_ED25519 = '2b6570'; // 1.3.101.112
const OID_RSA = '2a864886f70d010101'; // 1.2.840.113549.1.1.1
const CURVES: Record<string, string> = {
  '2a8648ce3d030107': 'P-256',
  '2b81040022': 'P-384',
  '2b81040023': 'P-521',
  '2b8104000a': 'secp256k1',
};

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const OID = 0x06;
const OCTET_STRING = 0x04;

export function readPkcs8(bytes: Uint8Array): Pkcs8Reading {
  const outer = readTlv(bytes, 0, bytes.length);
  if (!outer || outer.tag !== SEQUENCE) return { ok: false, reason: 'it is not DER-encoded PKCS#8' };
  if (outer.end !== bytes.length)
    return { ok: false, reason: 'it has extra bytes after the PKCS#8 structure' };
  const version = readTlv(bytes, outer.start, outer.end);
  if (!version || version.tag !== INTEGER) {
    // EncryptedPrivateKeyInfo starts with an AlgorithmIdentifier SEQUENCE instead of the version INTEGER.
    return version?.tag === SEQUENCE
      ? {
          ok: false,
          reason: 'it is an encrypted PKCS#8 key (EncryptedPrivateKeyInfo); export it unencrypted',
        }
      : { ok: false, reason: 'it is not a PKCS#8 PrivateKeyInfo (no version)' };
  }
  const algId = readTlv(bytes, version.end, outer.end);
  if (!algId || algId.tag !== SEQUENCE) return { ok: false, reason: 'it has no algorithm identifier' };
  const oid = readTlv(bytes, algId.start, algId.end);
  if (!oid || oid.tag !== OID) return { ok: false, reason: 'its algorithm identifier has no OID' };
  const key = readTlv(bytes, algId.end, outer.end);
  if (!key || key.tag !== OCTET_STRING || key.end === key.start)
    return { ok: false, reason: 'it holds no private key' };

  const algorithm = hex(bytes, oid);
  if (algorithm === OID_ED25519) return { ok: true, algorithm: -8 };
  if (algorithm === OID_RSA) return { ok: true, algorithm: -257 };
  if (algorithm === OID_EC_PUBLIC_KEY) {
    const params = readTlv(bytes, oid.end, algId.end);
    if (!params || params.tag !== OID) return { ok: false, reason: 'its EC key names no curve' };
    const curve = CURVES[hex(bytes, params)];
    if (curve === 'P-256') return { ok: true, algorithm: -7 };
    return {
      ok: true,
      algorithm: null,
      unsupported: `an EC key on ${curve ?? 'an unknown curve'} (passkeys use P-256)`,
    };
  }
  return { ok: true, algorithm: null, unsupported: 'a key type passkeys do not use' };
}

/** PEM "PRIVATE KEY" block → DER bytes' base64 text, or a reason it is not one. */
export function pemBody(pem: string): { ok: true; base64: string } | { ok: false; reason: string } {
  const text = pem.trim();
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text)) {
    return { ok: false, reason: 'the private key is encrypted with a password; export it unencrypted' };
  }
  const match = /^-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]*)-----END PRIVATE KEY-----$/.exec(text);
  if (!match)
    return {
      ok: false,
      reason: 'it is not a PEM "PRIVATE KEY" block (-----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY-----)',
    };
  return { ok: true, base64: match[1]!.replace(/\s+/g, '') };
}
