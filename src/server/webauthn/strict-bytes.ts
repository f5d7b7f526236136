import { isCanonicalBase64url } from '../../shared/base64url';

/**
 * Canonical base64url only (no padding, no '+/', zero trailing bits). Anything else is not rejected here but
 * returned as null so that the caller hands the response to SimpleWebAuthn, whose decoder is more lenient:
 * the fast path must never give a different verdict, so it only decides inputs it reads exactly the same way.
 */
export function canonicalBase64url(text: string): Buffer | null {
  return isCanonicalBase64url(text) ? Buffer.from(text, 'base64url') : null;
}

/**
 * True when `sig` is exactly one DER ECDSA-Sig-Value (SEQUENCE of two minimal, positive INTEGERs of at most
 * 33 bytes) and nothing else. OpenSSL insists on this form; SimpleWebAuthn's ASN.1 reader also takes looser
 * encodings, which therefore go to SimpleWebAuthn.
 */
export function isStrictDerEcdsaSignature(sig: Uint8Array): boolean {
  if (sig.length < 8 || sig[0] !== 0x30 || sig[1]! >= 0x80 || sig[1]! + 2 !== sig.length) return false;
  let p = 2;
  for (let i = 0; i < 2; i++) {
    if (sig[p] !== 0x02) return false;
    const len = sig[p + 1]!;
    if (len < 1 || len > 33 || p + 2 + len > sig.length) return false;
    const first = sig[p + 2]!;
    if (first & 0x80) return false; // negative
    if (first === 0 && len > 1 && !(sig[p + 3]! & 0x80)) return false; // non-minimal
    if (len === 33 && first !== 0) return false;
    p += 2 + len;
  }
  return p === sig.length;
}
