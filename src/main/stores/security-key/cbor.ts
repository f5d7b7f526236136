import { Decoder, Encoder } from 'cbor-x';
import { PasskeyDeskError } from '../../../shared/errors';

/**
 * CBOR for CTAP2. Requests must be in "CTAP2 canonical CBOR" (CTAP 2.1 §8 Message Encoding): definite lengths,
 * shortest integer forms, no floats or tags, and map keys sorted by major type, then encoded length, then
 * bytewise. cbor-x writes map entries in insertion order with shortest integers, so we normalise the value tree
 * (sorted Maps, checked leaves) and let cbor-x write the bytes. The same encoder serves the software
 * authenticator in the tests, and python-fido2's strict canonical check independently verifies its output.
 */
export type CborValue = number | string | boolean | Uint8Array | CborValue[] | CborMap;
export type CborMap = Map<number | string, CborValue>;

const encoder = new Encoder({
  useRecords: false,
  mapsAsObjects: false,
  tagUint8Array: false,
  variableMapSize: true,
});
const decoder = new Decoder({ useRecords: false, mapsAsObjects: false });

/** The largest integer CTAP messages use (uint32); anything larger would make cbor-x write a float. */
const MAX_INT = 0xffffffff;

export function encodeCanonical(value: CborValue): Uint8Array {
  return new Uint8Array(encoder.encode(normalise(value)));
}

function normalise(value: CborValue): unknown {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || Math.abs(value) > MAX_INT) {
      throw new PasskeyDeskError('INTERNAL', `CTAP CBOR allows integers up to 2^32 only, got ${value}.`);
    }
    return value;
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return value.map(normalise);
  const entries = [...value.entries()].map(([k, v]) => ({
    key: k,
    keyBytes: encoder.encode(k),
    value: normalise(v),
  }));
  entries.sort((a, b) => compareKeys(a.keyBytes, b.keyBytes));
  return new Map(entries.map((e) => [e.key, e.value]));
}

/** CTAP 2.1 §8: lower major type first, then shorter encoding, then bytewise lexical order. */
function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const majorA = (a[0] ?? 0) >> 5;
  const majorB = (b[0] ?? 0) >> 5;
  if (majorA !== majorB) return majorA - majorB;
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Decodes exactly one CBOR item. Bytes come from a device, so any failure is a typed protocol error, never a
 * crash. Byte strings come back as Uint8Array (cbor-x gives Buffers, a subclass).
 */
export function decodeCbor(bytes: Uint8Array, what: string): unknown {
  try {
    return decoder.decode(bytes) as unknown;
  } catch (e) {
    throw protocolError(
      `${what}: the key sent CBOR that does not decode (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}

export function protocolError(message: string, details?: Record<string, unknown>): PasskeyDeskError {
  return new PasskeyDeskError(
    'INTERNAL',
    `${message}. Unplug the key, plug it back in and try again; if it keeps happening, the key's firmware may not follow CTAP 2.1.`,
    details,
  );
}

/** Typed readers over decoded CBOR maps: every mismatch is a protocol error naming the field. */
export function asMap(value: unknown, what: string): Map<unknown, unknown> {
  if (!(value instanceof Map)) throw protocolError(`${what}: expected a CBOR map, got ${describe(value)}`);
  return value;
}

export function optBytes(
  map: Map<unknown, unknown>,
  key: number | string,
  what: string,
): Uint8Array | undefined {
  const v = map.get(key);
  if (v === undefined) return undefined;
  if (!(v instanceof Uint8Array))
    throw protocolError(`${what}: field ${String(key)} should be bytes, got ${describe(v)}`);
  return new Uint8Array(v);
}

export function reqBytes(map: Map<unknown, unknown>, key: number | string, what: string): Uint8Array {
  const v = optBytes(map, key, what);
  if (v === undefined) throw protocolError(`${what}: required field ${String(key)} is missing`);
  return v;
}

export function optUint(map: Map<unknown, unknown>, key: number | string, what: string): number | undefined {
  const v = map.get(key);
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw protocolError(`${what}: field ${String(key)} should be an unsigned integer, got ${describe(v)}`);
  }
  return v;
}

export function reqUint(map: Map<unknown, unknown>, key: number | string, what: string): number {
  const v = optUint(map, key, what);
  if (v === undefined) throw protocolError(`${what}: required field ${String(key)} is missing`);
  return v;
}

export function optText(map: Map<unknown, unknown>, key: number | string, what: string): string | undefined {
  const v = map.get(key);
  if (v === undefined) return undefined;
  if (typeof v !== 'string')
    throw protocolError(`${what}: field ${String(key)} should be text, got ${describe(v)}`);
  return v;
}

export function optMap(
  map: Map<unknown, unknown>,
  key: number | string,
  what: string,
): Map<unknown, unknown> | undefined {
  const v = map.get(key);
  return v === undefined ? undefined : asMap(v, `${what} field ${String(key)}`);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (v instanceof Map) return 'a map';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}
