/**
 * The matching key of a credential ID. Two sides name the same credential in different spellings: servers and
 * the vault use canonical base64url, Chrome DevTools and some exports standard base64 with padding, Bitwarden a
 * UUID. Matching must not depend on the spelling, and a malformed ID must not stop the whole reconcile.
 */
import { isUuid, normaliseBase64url, toBase64url, uuidToBytes } from '../base64url';

// 1 for each base64url character; its 6-bit value for the trailing-bits check.
const VALUE = new Int8Array(128).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/**
 * True when `text` already is canonical base64url: alphabet only, a possible length and zero trailing bits.
 * The common case (every ID from the vault and most servers), checked without allocating.
 */
export function isCanonicalBase64url(text: string): boolean {
  const n = text.length;
  const rest = n & 3;
  if (rest === 1) return false;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? VALUE[c]! : -1;
    if (v < 0) return false;
    last = v;
  }
  // 2 chars carry 1 byte (4 spare bits), 3 chars carry 2 bytes (2 spare bits): spare bits must be zero.
  if (rest === 2) return (last & 0x0f) === 0;
  if (rest === 3) return (last & 0x03) === 0;
  return true;
}

/**
 * The canonical base64url of a credential ID given as base64url, standard base64 or a UUID. An ID that is none
 * of these is returned unchanged: it still matches itself, and it cannot collide with a canonical ID because a
 * canonical ID is never invalid.
 */
export function credentialKey(id: string): string {
  // A UUID is 36 characters of the base64url alphabet too, so it must be recognised before the fast path.
  if (id.length === 36 && id.charCodeAt(8) === 45 /* - */ && isUuid(id)) return toBase64url(uuidToBytes(id));
  if (isCanonicalBase64url(id)) return id;
  try {
    return normaliseBase64url(id);
  } catch {
    return id;
  }
}

/** User handles are binary too and arrive in the same spellings; null stays null. */
export function userHandleKey(handle: string | null): string | null {
  return handle === null ? null : credentialKey(handle);
}

/** RP IDs are domain names: compare them case-insensitively, without a trailing dot. */
export function rpKey(rpId: string): string {
  // Nearly every RP ID is already lower-case ASCII: check that without a call into the case-mapping runtime.
  const n = rpId.length;
  for (let i = 0; i < n; i++) {
    const c = rpId.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c >= 128) return foldedRpKey(rpId);
  }
  return n > 0 && rpId.charCodeAt(n - 1) === 46 /* . */ ? rpId.slice(0, -1) : rpId;
}

function foldedRpKey(rpId: string): string {
  const lower = rpId.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}
