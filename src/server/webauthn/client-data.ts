/**
 * clientDataJSON, decoded once per sign-in: the flow needs its challenge to find the stored one, and the fast
 * path needs its bytes (to hash) and its members (type, challenge, origin). Decoding and JSON-parsing it twice
 * was a measurable share of a sign-in, so the route decodes it here and hands the result to both.
 */
import { canonicalBase64url } from './strict-bytes';

export interface DecodedClientData {
  /** The exact text received (the fast path checks it is the one it was decoded from). */
  text: string;
  /** The bytes, only when the text is canonical base64url (else the fast path delegates to SimpleWebAuthn). */
  canonicalBytes: Buffer | null;
  /** JSON.parse of the UTF-8 bytes; `undefined` with `parseError` set when they are not JSON. */
  value: unknown;
  parseError: boolean;
}

export function decodeClientData(text: string): DecodedClientData {
  const canonicalBytes = canonicalBase64url(text);
  // The lenient decode is what the challenge lookup always used; for canonical text both decodings are equal.
  const bytes = canonicalBytes ?? Buffer.from(text, 'base64url');
  try {
    return { text, canonicalBytes, value: JSON.parse(bytes.toString('utf8')) as unknown, parseError: false };
  } catch {
    return { text, canonicalBytes, value: undefined, parseError: true };
  }
}
