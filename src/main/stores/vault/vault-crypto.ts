import { createCipheriv, createDecipheriv, createPrivateKey, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { fromBase64url, toBase64url } from '../../../shared/base64url';
import { PasskeyDeskError } from '../../../shared/errors';
import { jwkToEs256CoseKey } from '../../../shared/webauthn/cose';
import { generateDetachedKeyPair } from '../../crypto/generate-key-pair';

export interface Sealed {
  iv: string;
  ct: string;
  tag: string;
}

export function newVaultKey(): Buffer {
  return randomBytes(32);
}

/** AES-256-GCM; the AAD binds a sealed key to its credential so records cannot be swapped between entries. */
export function seal(key: Buffer, plaintext: Uint8Array, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: toBase64url(iv), ct: toBase64url(ct), tag: toBase64url(cipher.getAuthTag()) };
}

export function open(key: Buffer, sealed: Sealed, aad: string): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, fromBase64url(sealed.iv));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(fromBase64url(sealed.tag));
    return Buffer.concat([decipher.update(fromBase64url(sealed.ct)), decipher.final()]);
  } catch {
    throw new PasskeyDeskError(
      'KEY_MISSING',
      'A vault private key cannot be decrypted with the key in the OS keyring: the keyring entry was replaced or the vault was copied from another machine.',
    );
  }
}

export function generateEs256(): { privateKeyPkcs8: Buffer; publicKeyCose: Uint8Array } {
  const { privateKey, publicKey } = generateDetachedKeyPair('P-256');
  return {
    privateKeyPkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }),
    publicKeyCose: jwkToEs256CoseKey(publicKey.export({ format: 'jwk' })),
  };
}

/** Validates that a PKCS#8 key is an EC P-256 private key and returns its COSE public key. */
export function es256PublicFromPkcs8(pkcs8: Uint8Array): Uint8Array {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  } catch (e) {
    throw new PasskeyDeskError(
      'UNSUPPORTED_ALGORITHM',
      `The private key is not a readable PKCS#8 key: ${(e as Error).message}`,
    );
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new PasskeyDeskError(
      'UNSUPPORTED_ALGORITHM',
      `The vault signs with ES256 (EC P-256) only; this key is ${key.asymmetricKeyType ?? 'unknown'} ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trim() +
        '.',
    );
  }
  const jwk = key.export({ format: 'jwk' });
  return jwkToEs256CoseKey(jwk);
}

/** ECDSA P-256 over SHA-256, DER-encoded signature (what WebAuthn expects for ES256). */
export function signEs256(pkcs8: Buffer, message: Uint8Array): Buffer {
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return sign('sha256', message, { key, dsaEncoding: 'der' });
}
