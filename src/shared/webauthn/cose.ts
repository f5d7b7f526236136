import { decodeCBOR, encodeCBOR } from '@levischuck/tiny-cbor';
import { fromBase64url, toBase64url } from '../base64url';

/** COSE algorithm identifiers (IANA COSE Algorithms registry). */
export const COSE_ALG = { ES256: -7, EdDSA: -8, RS256: -257 } as const;

/**
 * An EC2 P-256 public key as a COSE_Key map (RFC 9053 §7.1.1): kty(1)=2 EC2, alg(3)=-7 ES256, crv(-1)=1 P-256,
 * x(-2), y(-3). Keys are written in this order, which is also CTAP2's canonical order.
 */
export function encodeEs256CoseKey(x: Uint8Array, y: Uint8Array): Uint8Array {
  if (x.length !== 32 || y.length !== 32) throw new RangeError('P-256 coordinates are 32 bytes each');
  return encodeCBOR(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, COSE_ALG.ES256],
      [-1, 1],
      [-2, x],
      [-3, y],
    ]),
  );
}

/** COSE EC2 P-256 key → JWK, for node:crypto or WebCrypto. Throws RangeError when it is not one. */
export function es256CoseKeyToJwk(cose: Uint8Array): { kty: 'EC'; crv: 'P-256'; x: string; y: string } {
  const map = decodeCBOR(cose);
  if (!(map instanceof Map)) throw new RangeError('COSE key is not a CBOR map');
  const x = map.get(-2);
  const y = map.get(-3);
  if (map.get(1) !== 2 || map.get(-1) !== 1 || !(x instanceof Uint8Array) || !(y instanceof Uint8Array)) {
    throw new RangeError('COSE key is not an EC2 P-256 key');
  }
  if (x.length !== 32 || y.length !== 32) throw new RangeError('P-256 coordinates are 32 bytes each');
  return { kty: 'EC', crv: 'P-256', x: toBase64url(x), y: toBase64url(y) };
}

export function jwkToEs256CoseKey(jwk: { x?: string; y?: string }): Uint8Array {
  if (!jwk.x || !jwk.y) throw new RangeError('JWK lacks x or y');
  return encodeEs256CoseKey(fromBase64url(jwk.x), fromBase64url(jwk.y));
}
