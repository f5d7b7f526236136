import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import type { ECDH } from 'node:crypto';

/**
 * Authenticator side of PIN/UV auth protocols one and two (CTAP 2.1 §6.5.6, §6.5.7), written separately from the
 * platform side in src/ so that the two are not the same code checking itself; python-fido2 checks both.
 */
export class AuthenticatorPinProtocol {
  private ecdh: ECDH = createECDH('prime256v1');

  constructor(readonly version: 1 | 2) {
    this.regenerate();
  }

  /** §6.5.4 regenerate(): a new key-agreement key pair (after a wrong PIN, on power-up). */
  regenerate(): void {
    this.ecdh = createECDH('prime256v1');
    this.ecdh.generateKeys();
  }

  /** getPublicKey(): COSE_Key with alg −25 (ECDH-ES+HKDF-256), §6.5.6. */
  publicCoseKey(): Map<number, number | Uint8Array> {
    const pub = this.ecdh.getPublicKey();
    return new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -25],
      [-1, 1],
      [-2, new Uint8Array(pub.subarray(1, 33))],
      [-3, new Uint8Array(pub.subarray(33, 65))],
    ]);
  }

  /** decapsulate(peerCoseKey) → shared secret, or null when the peer key is malformed. */
  decapsulate(peer: unknown): Buffer | null {
    if (!(peer instanceof Map)) return null;
    const x: unknown = peer.get(-2);
    const y: unknown = peer.get(-3);
    if (!(x instanceof Uint8Array) || !(y instanceof Uint8Array) || x.length !== 32 || y.length !== 32)
      return null;
    let z: Buffer;
    try {
      z = this.ecdh.computeSecret(Buffer.concat([Buffer.from([4]), x, y]));
    } catch {
      return null;
    }
    if (this.version === 1) return createHash('sha256').update(z).digest();
    const salt = Buffer.alloc(32);
    return Buffer.concat([
      Buffer.from(hkdfSync('sha256', z, salt, 'CTAP2 HMAC key', 32)),
      Buffer.from(hkdfSync('sha256', z, salt, 'CTAP2 AES key', 32)),
    ]);
  }

  decrypt(secret: Buffer, ct: Uint8Array): Buffer | null {
    const key = this.version === 1 ? secret : secret.subarray(32);
    const iv = this.version === 1 ? Buffer.alloc(16) : Buffer.from(ct.subarray(0, 16));
    const body = this.version === 1 ? ct : ct.subarray(16);
    if (body.length === 0 || body.length % 16 !== 0) return null;
    const d = createDecipheriv('aes-256-cbc', key, iv);
    d.setAutoPadding(false);
    return Buffer.concat([d.update(body), d.final()]);
  }

  encrypt(secret: Buffer, pt: Uint8Array): Buffer {
    const key = this.version === 1 ? secret : secret.subarray(32);
    const iv = this.version === 1 ? Buffer.alloc(16) : randomBytes(16);
    const c = createCipheriv('aes-256-cbc', key, iv);
    c.setAutoPadding(false);
    const ct = Buffer.concat([c.update(pt), c.final()]);
    return this.version === 1 ? ct : Buffer.concat([iv, ct]);
  }

  /** verify(key, message, signature): protocol one compares the first 16 bytes, two all 32. */
  verify(key: Buffer, message: Uint8Array, signature: unknown): boolean {
    if (!(signature instanceof Uint8Array)) return false;
    const hmacKey = this.version === 2 && key.length === 64 ? key.subarray(0, 32) : key;
    const mac = createHmac('sha256', hmacKey).update(message).digest();
    const expected = this.version === 1 ? mac.subarray(0, 16) : mac;
    return signature.length === expected.length && timingSafeEqual(Buffer.from(signature), expected);
  }
}
