import { createPublicKey } from 'node:crypto';
import { fromBase64url, toBase64url } from '../../../src/shared/base64url';
import type { CborMap, CborValue } from '../../../src/main/stores/security-key/cbor';
import { encodeCanonical } from '../../../src/main/stores/security-key/cbor';
import { CtapFail, ST, toCbor } from './authenticator';
import type { SoftAuthenticator } from './authenticator';
import { rpHash } from './state';
import type { SoftCredential } from './state';

const CM = 0x04;

/** authenticatorCredentialManagement (CTAP 2.1 §6.8), for 0x0A and the 2.1-PRE 0x41. */
export function handleCredentialManagement(
  a: SoftAuthenticator,
  p: Map<unknown, unknown>,
  cmd: number,
): CborMap | null {
  const sub = p.get(1);
  if (typeof sub !== 'number') throw new CtapFail(ST.MISSING_PARAMETER);
  const params = p.get(2);
  if (params !== undefined && !(params instanceof Map)) throw new CtapFail(ST.INVALID_PARAMETER);
  const authenticated = sub !== 0x03 && sub !== 0x05;
  if (authenticated) {
    // §6.8.2: pinUvAuthParam over subCommand ‖ subCommandParams (as canonical CBOR).
    const encoded = params ? encodeCanonical(toCbor(params)) : new Uint8Array(0);
    a.requireToken(p, 3, 4, Uint8Array.from([sub, ...encoded]), CM);
  }
  const creds = a.state.credentials;
  switch (sub) {
    case 0x01:
      return new Map([
        [1, creds.length],
        [2, Math.max(0, a.state.maxSlots - creds.length)],
      ]);
    case 0x02: {
      const rps = [...new Map(creds.map((c) => [c.rpId, c])).values()];
      if (rps.length === 0) throw new CtapFail(ST.NO_CREDENTIALS);
      const items = rps.map((c) => {
        const rp: CborMap = new Map([['id', c.rpId]]);
        if (c.rpName !== null) rp.set('name', c.rpName);
        return new Map<number, CborValue>([
          [3, rp],
          [4, new Uint8Array(rpHash(c.rpId))],
        ]);
      });
      items[0]!.set(5, items.length);
      a.pendingNext = { kind: 'rps', items: items.slice(1) };
      return items[0]!;
    }
    case 0x04: {
      const hash = params?.get(1);
      if (!(hash instanceof Uint8Array)) throw new CtapFail(ST.MISSING_PARAMETER);
      const mine = creds.filter((c) => Buffer.compare(rpHash(c.rpId), Buffer.from(hash)) === 0);
      if (mine.length === 0) throw new CtapFail(ST.NO_CREDENTIALS);
      const items = mine.map(credentialReply);
      items[0]!.set(9, items.length);
      a.pendingNext = { kind: 'creds', items: items.slice(1) };
      return items[0]!;
    }
    case 0x03:
    case 0x05: {
      const want = sub === 0x03 ? 'rps' : 'creds';
      const next = a.pendingNext?.kind === want ? a.pendingNext.items.shift() : undefined;
      if (!next) {
        a.pendingNext = null;
        throw new CtapFail(ST.NOT_ALLOWED);
      }
      return next;
    }
    case 0x06: {
      const found = findByDescriptor(a, params?.get(2));
      creds.splice(creds.indexOf(found), 1);
      return null;
    }
    case 0x07: {
      // updateUserInformation exists only in CTAP 2.1 (not in the 2.1-PRE prototype).
      if (cmd !== 0x0a) throw new CtapFail(ST.INVALID_SUBCOMMAND);
      const found = findByDescriptor(a, params?.get(2));
      const user = params?.get(3);
      if (!(user instanceof Map)) throw new CtapFail(ST.MISSING_PARAMETER);
      const id: unknown = user.get('id');
      if (!(id instanceof Uint8Array) || toBase64url(id) !== found.userId)
        throw new CtapFail(ST.INVALID_PARAMETER);
      const name: unknown = user.get('name');
      const displayName: unknown = user.get('displayName');
      // §6.8.6: fields absent from the new user entity are removed from the credential.
      found.userName = typeof name === 'string' ? name : null;
      found.userDisplayName = typeof displayName === 'string' ? displayName : null;
      return null;
    }
    default:
      throw new CtapFail(ST.INVALID_SUBCOMMAND);
  }
}

function findByDescriptor(a: SoftAuthenticator, descriptor: unknown): SoftCredential {
  if (!(descriptor instanceof Map)) throw new CtapFail(ST.MISSING_PARAMETER);
  const id: unknown = descriptor.get('id');
  if (!(id instanceof Uint8Array) || descriptor.get('type') !== 'public-key')
    throw new CtapFail(ST.INVALID_PARAMETER);
  const found = a.state.credentials.find(
    (c) => Buffer.compare(Buffer.from(fromBase64url(c.credentialId)), Buffer.from(id)) === 0,
  );
  if (!found) throw new CtapFail(ST.NO_CREDENTIALS);
  return found;
}

function credentialReply(c: SoftCredential): Map<number, CborValue> {
  const user: CborMap = new Map<string, CborValue>([['id', fromBase64url(c.userId)]]);
  if (c.userName !== null) user.set('name', c.userName);
  if (c.userDisplayName !== null) user.set('displayName', c.userDisplayName);
  return new Map<number, CborValue>([
    [6, user],
    [
      7,
      new Map<string, CborValue>([
        ['id', fromBase64url(c.credentialId)],
        ['type', 'public-key'],
      ]),
    ],
    [8, coseKey(c)],
    [10, c.credProtect],
  ]);
}

export function coseKey(c: SoftCredential): CborMap {
  const jwk = createPublicKey({ key: c.privateJwk, format: 'jwk' }).export({ format: 'jwk' });
  return new Map<number, CborValue>([
    [1, 2],
    [3, -7],
    [-1, 1],
    [-2, fromBase64url(jwk.x ?? '')],
    [-3, fromBase64url(jwk.y ?? '')],
  ]);
}
