import { createHash, randomBytes } from 'node:crypto';
import { generateDetachedKeyPair } from '../../../src/main/crypto/generate-key-pair';
import { toBase64url, uuidToBytes } from '../../../src/shared/base64url';
import type { CborMap, CborValue } from '../../../src/main/stores/security-key/cbor';
import { encodeCanonical } from '../../../src/main/stores/security-key/cbor';
import { CtapFail, ST } from './authenticator';
import type { SoftAuthenticator } from './authenticator';
import { coseKey } from './credman-handler';
import type { SoftCredential } from './state';

/**
 * A minimal authenticatorMakeCredential (CTAP 2.1 §6.1), enough for an independent client to create discoverable
 * credentials on the model and to meet CTAP2_ERR_KEY_STORE_FULL on a full key. ES256 only, "none" attestation.
 */
export function handleMakeCredential(a: SoftAuthenticator, p: Map<unknown, unknown>): CborMap {
  const cdh = p.get(1);
  const rp = p.get(2);
  const user = p.get(3);
  const algs = p.get(4);
  if (
    !(cdh instanceof Uint8Array) ||
    !(rp instanceof Map) ||
    !(user instanceof Map) ||
    !Array.isArray(algs)
  ) {
    throw new CtapFail(ST.MISSING_PARAMETER);
  }
  const es256 = algs.some(
    (x: unknown) => x instanceof Map && x.get('alg') === -7 && x.get('type') === 'public-key',
  );
  if (!es256) throw new CtapFail(ST.UNSUPPORTED_ALGORITHM);
  const rpId: unknown = rp.get('id');
  const userId: unknown = user.get('id');
  if (typeof rpId !== 'string' || !(userId instanceof Uint8Array)) throw new CtapFail(ST.MISSING_PARAMETER);
  const options = p.get(7);
  const rk = options instanceof Map && options.get('rk') === true;
  if (a.state.pin !== null) a.requireToken(p, 9, 8, cdh, 0x01); // §6.1.2 step: pinUvAuthParam over clientDataHash
  const s = a.state;
  if (rk && s.credentials.length >= s.maxSlots) throw new CtapFail(ST.KEY_STORE_FULL);
  const { privateKey } = generateDetachedKeyPair('P-256');
  const name: unknown = user.get('name');
  const displayName: unknown = user.get('displayName');
  const rpName: unknown = rp.get('name');
  const cred: SoftCredential = {
    rpId,
    rpName: typeof rpName === 'string' ? rpName : null,
    credentialId: toBase64url(randomBytes(48)),
    userId: toBase64url(userId),
    userName: typeof name === 'string' ? name : null,
    userDisplayName: typeof displayName === 'string' ? displayName : null,
    privateJwk: privateKey.export({ format: 'jwk' }),
    credProtect: 1,
  };
  if (rk) {
    // §6.1.2: a new discoverable credential replaces one for the same RP and user handle.
    s.credentials = s.credentials.filter((c) => !(c.rpId === rpId && c.userId === cred.userId));
    s.credentials.push(cred);
  }
  const credId = Buffer.from(cred.credentialId, 'base64url');
  const flags = 0x41 | (a.state.pin !== null ? 0x04 : 0); // UP | AT (| UV when a PIN token was used)
  const authData = Buffer.concat([
    createHash('sha256').update(rpId).digest(),
    Buffer.from([flags, 0, 0, 0, 0]),
    Buffer.from(uuidToBytes(s.aaguid)),
    Buffer.from([credId.length >> 8, credId.length & 0xff]),
    credId,
    Buffer.from(encodeCanonical(coseKey(cred))),
  ]);
  return new Map<number, CborValue>([
    [1, 'none'],
    [2, new Uint8Array(authData)],
    [3, new Map()],
  ]);
}
