import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import type { CborMap } from './cbor';
import { protocolError } from './cbor';

/**
 * PIN/UV auth protocols one and two, platform side (CTAP 2.1 §6.5.6 and §6.5.7). Keys, secrets and tokens are
 * held in Uint8Arrays that callers wipe (`fill(0)`) when the operation ends; none of them is ever logged.
 */
export type PinProtocolVersion = 1 | 2;

export interface Encapsulation {
  /** Our ephemeral public key as a COSE_Key (§6.5.6 getPublicKey: alg −25 "although not the algorithm used"). */
  keyAgreement: CborMap;
  sharedSecret: Uint8Array;
}

export interface PinProtocol {
  readonly version: PinProtocolVersion;
  encapsulate(peerCoseKey: Map<unknown, unknown>): Encapsulation;
  encrypt(sharedSecret: Uint8Array, plaintext: Uint8Array): Uint8Array;
  decrypt(sharedSecret: Uint8Array, ciphertext: Uint8Array): Uint8Array;
  /** pinUvAuthParam = authenticate(key, message). */
  authenticate(key: Uint8Array, message: Uint8Array): Uint8Array;
}

const ZERO_IV = Buffer.alloc(16);

function ecdh(peerCoseKey: Map<unknown, unknown>): { keyAgreement: CborMap; z: Uint8Array } {
  const x = peerCoseKey.get(-2);
  const y = peerCoseKey.get(-3);
  if (
    peerCoseKey.get(1) !== 2 ||
    peerCoseKey.get(-1) !== 1 ||
    !(x instanceof Uint8Array) ||
    !(y instanceof Uint8Array) ||
    x.length !== 32 ||
    y.length !== 32
  ) {
    throw protocolError('getKeyAgreement: the key sent a key-agreement key that is not a P-256 COSE_Key');
  }
  const ecdhKey = createECDH('prime256v1');
  const ours = ecdhKey.generateKeys();
  let z: Buffer;
  try {
    z = ecdhKey.computeSecret(Buffer.concat([Buffer.from([4]), x, y]));
  } catch {
    throw protocolError('getKeyAgreement: the key-agreement point is not on the P-256 curve');
  }
  const keyAgreement: CborMap = new Map<number, Uint8Array | number>([
    [1, 2],
    [3, -25],
    [-1, 1],
    [-2, new Uint8Array(ours.subarray(1, 33))],
    [-3, new Uint8Array(ours.subarray(33, 65))],
  ]);
  return { keyAgreement, z: new Uint8Array(z) };
}

function aesCbc(encrypt: boolean, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length % 16 !== 0)
    throw protocolError(`PIN protocol: ciphertext length ${data.length} is not a multiple of 16`);
  const c = encrypt ? createCipheriv('aes-256-cbc', key, iv) : createDecipheriv('aes-256-cbc', key, iv);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

/** §6.5.6 PIN/UV auth protocol one: KDF = SHA-256(Z), AES-256-CBC with a zero IV, HMAC truncated to 16 bytes. */
export const pinProtocolOne: PinProtocol = {
  version: 1,
  encapsulate(peer) {
    const { keyAgreement, z } = ecdh(peer);
    const sharedSecret = new Uint8Array(createHash('sha256').update(z).digest());
    z.fill(0);
    return { keyAgreement, sharedSecret };
  },
  encrypt: (key, pt) => aesCbc(true, key, ZERO_IV, pt),
  decrypt: (key, ct) => aesCbc(false, key, ZERO_IV, ct),
  authenticate: (key, msg) => new Uint8Array(createHmac('sha256', key).update(msg).digest().subarray(0, 16)),
};

/**
 * §6.5.7 PIN/UV auth protocol two: HKDF-SHA-256 with a 32-zero-byte salt gives an HMAC key ("CTAP2 HMAC key")
 * and an AES key ("CTAP2 AES key"); encryption uses a random IV prepended to the ciphertext; full 32-byte HMAC.
 * When authenticating with a pinUvAuthToken, the whole token is the HMAC key; with the shared secret, its first half.
 */
export const pinProtocolTwo: PinProtocol = {
  version: 2,
  encapsulate(peer) {
    const { keyAgreement, z } = ecdh(peer);
    const salt = Buffer.alloc(32);
    const hmacKey = new Uint8Array(hkdfSync('sha256', z, salt, 'CTAP2 HMAC key', 32));
    const aesKey = new Uint8Array(hkdfSync('sha256', z, salt, 'CTAP2 AES key', 32));
    z.fill(0);
    const sharedSecret = new Uint8Array(64);
    sharedSecret.set(hmacKey, 0);
    sharedSecret.set(aesKey, 32);
    return { keyAgreement, sharedSecret };
  },
  encrypt(key, pt) {
    const iv = new Uint8Array(randomBytes(16));
    const ct = aesCbc(true, key.subarray(32, 64), iv, pt);
    const out = new Uint8Array(16 + ct.length);
    out.set(iv, 0);
    out.set(ct, 16);
    return out;
  },
  decrypt(key, ct) {
    if (ct.length < 32)
      throw protocolError(`PIN protocol two: ciphertext of ${ct.length} bytes is too short`);
    return aesCbc(false, key.subarray(32, 64), ct.subarray(0, 16), ct.subarray(16));
  },
  authenticate(key, msg) {
    // A 64-byte shared secret authenticates with its HMAC half; a 32-byte token is used whole (§6.5.7).
    const hmacKey = key.length === 64 ? key.subarray(0, 32) : key;
    return new Uint8Array(createHmac('sha256', hmacKey).update(msg).digest());
  },
};

export function pinProtocol(version: PinProtocolVersion): PinProtocol {
  return version === 2 ? pinProtocolTwo : pinProtocolOne;
}

/** §6.5.5.7: pinHashEnc carries LEFT(SHA-256(PIN), 16) of the UTF-8 PIN. */
export function pinHashLeft16(pin: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(pin.normalize('NFC'), 'utf8').digest().subarray(0, 16));
}
