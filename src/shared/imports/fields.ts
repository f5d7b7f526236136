import { fromBase64url, toBase64url } from '../base64url';
import type { Problems } from './problems';
import { describeType, member } from './problems';

/**
 * Field readers shared by the parsers. Each one records a problem (with the field's JSON path) instead of
 * throwing, and returns null, so one pass reports every wrong field of a file.
 */

export function requiredString(
  p: Problems,
  obj: Record<string, unknown>,
  path: string,
  key: string,
): string | null {
  const value = obj[key];
  const at = member(path, key);
  if (value === undefined || value === null) {
    p.add(at, 'is missing');
    return null;
  }
  if (typeof value !== 'string') {
    p.add(at, `should be text, but it is ${describeType(value)}`);
    return null;
  }
  if (value.trim() === '') {
    p.add(at, 'is empty');
    return null;
  }
  return value;
}

/** Absent, null and "" all mean "not given" (exporters differ); any other non-text value is a problem. */
export function optionalString(
  p: Problems,
  obj: Record<string, unknown>,
  path: string,
  key: string,
): string | null {
  const value = obj[key];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') {
    p.add(member(path, key), `should be text, but it is ${describeType(value)}`);
    return null;
  }
  return value;
}

/** Decodes base64url (or standard base64) and returns the canonical base64url text and the bytes. */
export function decodeBase64Field(
  p: Problems,
  text: string,
  at: string,
  what: string,
): { canonical: string; bytes: Uint8Array } | null {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64url(text.trim());
  } catch {
    p.add(at, `${what} is not valid base64url`);
    return null;
  }
  if (bytes.length === 0) {
    p.add(at, `${what} is empty`);
    return null;
  }
  return { canonical: toBase64url(bytes), bytes };
}

/** WebAuthn limits credential IDs to 1023 bytes and user handles to 64 (WebAuthn L3 §5.4.3, §6.1). */
export const MAX_CREDENTIAL_ID_BYTES = 1023;
export const MAX_USER_HANDLE_BYTES = 64;

export function userHandleField(p: Problems, text: string | null, at: string): string | null {
  if (text === null) return null;
  const decoded = decodeBase64Field(p, text, at, 'the user handle');
  if (!decoded) return null;
  if (decoded.bytes.length > MAX_USER_HANDLE_BYTES) {
    p.add(
      at,
      `the user handle is ${decoded.bytes.length} bytes; WebAuthn allows at most ${MAX_USER_HANDLE_BYTES}`,
    );
    return null;
  }
  return decoded.canonical;
}

/**
 * An RP ID is a domain (`example.com`), compared case-insensitively. Exporters sometimes store a URL instead;
 * that is refused rather than guessed, because the RP ID decides which server a passkey belongs to.
 */
export function rpIdField(p: Problems, text: string | null, at: string): string | null {
  if (text === null) return null;
  const rpId = text.trim().toLowerCase();
  if (rpId.includes('://') || rpId.includes('/')) {
    p.add(at, `should be a domain such as example.com, not a URL ("${clip(text)}")`);
    return null;
  }
  if (!/^[a-z0-9.\-_:[\]\u0080-\uffff]+$/.test(rpId) || rpId.length > 253) {
    p.add(at, `"${clip(text)}" is not a domain name`);
    return null;
  }
  return rpId;
}

/** ISO 8601 text → canonical ISO, or a problem. */
export function isoDateField(p: Problems, text: string | null, at: string): string | null {
  if (text === null) return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    p.add(at, `"${clip(text)}" is not a date (expected ISO 8601, e.g. 2024-05-01T12:00:00.000Z)`);
    return null;
  }
  return new Date(ms).toISOString();
}

/** Seconds since 1970 (CXF `creationAt`) → ISO, or a problem. */
export function epochSecondsField(p: Problems, value: unknown, at: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 253_402_300_799) {
    p.add(at, `should be a whole number of seconds since 1970, but it is ${describeValue(value)}`);
    return null;
  }
  return new Date(value * 1000).toISOString();
}

/** Keeps user-controlled text in messages short and on one line. */
export function clip(text: string, max = 60): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must not reach a message
  const oneLine = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

export function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean')
    return `${describeType(value)} (${String(value)})`;
  if (typeof value === 'string') return `text ("${clip(value, 30)}")`;
  return describeType(value);
}
