/**
 * The matching key of a credential ID. Two sides name the same credential in different spellings: servers and
 * the vault use canonical base64url, Chrome DevTools and some exports standard base64 with padding, Bitwarden a
 * UUID. Matching must not depend on the spelling, and a malformed ID must not stop the whole reconcile.
 */
import { isCanonicalBase64url, isUuid, toBase64url, uuidToBytes } from '../base64url';

// 1 for each base64url character; its 6-bit value for the trailing-bits check.
const VALUE = new Int8Array(128).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/**
 * The canonical base64url of a credential ID given as base64url, standard base64 or a UUID. An ID that is none
 * of these is returned unchanged: it still matches itself, and it cannot collide with a canonical ID because a
 * canonical ID is never invalid.
 */
export function credentialKey(id: string): string {
  // A UUID is 36 characters of the base64url alphabet too, so it must be recognised before the fast path.
  if (id.length === 36 && id.charCodeAt(8) === 45 /* - */ && isUuid(id)) return toBase64url(uuidToBytes(id));
  if (isCanonicalBase64url(id)) return id;
  return standardToCanonical(id) ?? id;
}

// The 6-bit value of each character of either alphabet; -1 for any other character.
const EITHER = Int8Array.from(VALUE);
EITHER[43 /* + */] = 62;
EITHER[47 /* / */] = 63;

/**
 * normaliseBase64url(id), or null where it would throw, without decoding: base64 with zero trailing bits
 * re-encodes to the same 6-bit groups, so the canonical form is the same characters with `+` and `/` spelled
 * `-` and `_` and the padding dropped. One string instead of a byte array and a string built four characters
 * at a time (one server ID in ten at the benchmark size).
 */
function standardToCanonical(id: string): string | null {
  let end = id.length;
  while (end > 0 && id.charCodeAt(end - 1) === 61 /* = */) end--;
  if (id.length - end > 2 || (end & 3) === 1) return null;
  let last = 0;
  let plus = false;
  let slash = false;
  for (let i = 0; i < end; i++) {
    const c = id.charCodeAt(i);
    const v = c < 128 ? EITHER[c]! : -1;
    if (v < 0) return null;
    if (c === 43) plus = true;
    else if (c === 47) slash = true;
    last = v;
  }
  const rest = end & 3;
  if ((rest === 2 && (last & 0x0f) !== 0) || (rest === 3 && (last & 0x03) !== 0)) return null;
  let key = end === id.length ? id : id.slice(0, end);
  if (plus) key = key.replaceAll('+', '-');
  if (slash) key = key.replaceAll('/', '_');
  return key;
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

/** text.toLowerCase(), without a new string when there is nothing to lower (an AAGUID nearly always). */
export function lowerCase(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c >= 128) return text.toLowerCase();
  }
  return text;
}

function foldedRpKey(rpId: string): string {
  const lower = rpId.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}
