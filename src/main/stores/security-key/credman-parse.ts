import type { CborMap, CborValue } from './cbor';
import {
  asMap,
  decodeCbor,
  describe,
  optMap,
  optText,
  optUint,
  protocolError,
  reqBytes,
  reqUint,
} from './cbor';

/** Parsers for authenticatorCredentialManagement replies (CTAP 2.1 §6.8). Outside bytes: typed errors only. */
const RESP = {
  EXISTING: 0x01,
  REMAINING: 0x02,
  RP: 0x03,
  RP_ID_HASH: 0x04,
  TOTAL_RPS: 0x05,
  USER: 0x06,
  CREDENTIAL_ID: 0x07,
  PUBLIC_KEY: 0x08,
  TOTAL_CREDENTIALS: 0x09,
  CRED_PROTECT: 0x0a,
  LARGE_BLOB_KEY: 0x0b,
} as const;

export interface CredsMetadata {
  existing: number;
  remaining: number;
}

export interface RpEntry {
  rpId: string;
  rpName: string | null;
  rpIdHash: Uint8Array;
}

export interface CredentialEntry {
  credentialId: Uint8Array;
  /** The PublicKeyCredentialDescriptor exactly as the key sent it, for delete and update. */
  descriptor: CborMap;
  userId: Uint8Array;
  userName: string | null;
  userDisplayName: string | null;
  /** COSE alg of the credential public key (−7 ES256, −8 EdDSA, −35 ES384, −257 RS256), when present. */
  algorithm: number | null;
  credProtect: number | null;
}

export function parseMetadata(body: Uint8Array): CredsMetadata {
  const what = 'getCredsMetadata reply';
  const map = asMap(decodeCbor(body, what), what);
  return { existing: reqUint(map, RESP.EXISTING, what), remaining: reqUint(map, RESP.REMAINING, what) };
}

export function parseRpReply(body: Uint8Array, first: boolean): { rp: RpEntry; total: number | null } {
  const what = first ? 'enumerateRPsBegin reply' : 'enumerateRPsGetNextRP reply';
  const map = asMap(decodeCbor(body, what), what);
  const rp = optMap(map, RESP.RP, what);
  if (!rp) throw protocolError(`${what}: rp is missing`);
  const rpIdHash = reqBytes(map, RESP.RP_ID_HASH, what);
  if (rpIdHash.length !== 32)
    throw protocolError(`${what}: rpIDHash has ${rpIdHash.length} bytes, expected 32`);
  const rpId = optText(rp, 'id', `${what} rp`);
  if (rpId === undefined) throw protocolError(`${what}: rp.id is missing`);
  const total = first ? reqUint(map, RESP.TOTAL_RPS, what) : null;
  if (total === 0) throw protocolError(`${what}: totalRPs is 0 but an RP was returned`);
  return { rp: { rpId, rpName: optText(rp, 'name', `${what} rp`) ?? null, rpIdHash }, total };
}

export function parseCredentialReply(
  body: Uint8Array,
  first: boolean,
): { credential: CredentialEntry; total: number | null } {
  const what = first ? 'enumerateCredentialsBegin reply' : 'enumerateCredentialsGetNextCredential reply';
  const map = asMap(decodeCbor(body, what), what);
  const user = optMap(map, RESP.USER, what);
  if (!user) throw protocolError(`${what}: user is missing`);
  const descriptorRaw = optMap(map, RESP.CREDENTIAL_ID, what);
  if (!descriptorRaw) throw protocolError(`${what}: credentialID is missing`);
  const credentialId = reqBytes(descriptorRaw, 'id', `${what} credentialID`);
  if (credentialId.length === 0) throw protocolError(`${what}: credentialID.id is empty`);
  const publicKey = optMap(map, RESP.PUBLIC_KEY, what);
  const alg = publicKey?.get(3);
  const total = first ? reqUint(map, RESP.TOTAL_CREDENTIALS, what) : null;
  if (total === 0) throw protocolError(`${what}: totalCredentials is 0 but a credential was returned`);
  return {
    credential: {
      credentialId,
      descriptor: toCborMap(descriptorRaw, `${what} credentialID`),
      userId: reqBytes(user, 'id', `${what} user`),
      userName: optText(user, 'name', `${what} user`) ?? null,
      userDisplayName: optText(user, 'displayName', `${what} user`) ?? null,
      algorithm: typeof alg === 'number' && Number.isInteger(alg) ? alg : null,
      credProtect: optUint(map, RESP.CRED_PROTECT, what) ?? null,
    },
    total,
  };
}

/** Re-types a decoded map so that it can be re-encoded verbatim (only CBOR types CTAP allows). */
function toCborMap(map: Map<unknown, unknown>, what: string): CborMap {
  const out: CborMap = new Map();
  for (const [k, v] of map) {
    if (typeof k !== 'string' && typeof k !== 'number')
      throw protocolError(`${what}: unexpected key of type ${describe(k)}`);
    out.set(k, toCborValue(v, what));
  }
  return out;
}

function toCborValue(v: unknown, what: string): CborValue {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (Array.isArray(v)) return v.map((x) => toCborValue(x, what));
  if (v instanceof Map) return toCborMap(v, what);
  throw protocolError(`${what}: unexpected value of type ${describe(v)}`);
}
