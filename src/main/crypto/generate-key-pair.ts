/**
 * Key generation that is safe to export as JWK on Node 20.
 *
 * On Node 20 a key straight from `generateKeyPairSync` can deadlock its process when exported as JWK: the export
 * holds the key's mutex while it allocates a JS string, a garbage collection in that allocation runs the
 * finished key-generation job's destructor, and that destructor waits for the same mutex (seen here: about one
 * run in four of 10,000 generate-and-export calls hung for good, main thread in `~KeyGenJob` under
 * `ExportJWKEcKey`). A copy made through DER belongs to no generation job, so it exports safely; DER exports of
 * the original do not take that path.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface DetachedKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A fresh EC P-256 (ES256) or Ed25519 key pair whose KeyObjects can be exported in any format. */
export function generateDetachedKeyPair(kind: 'P-256' | 'Ed25519'): DetachedKeyPair {
  const generated =
    kind === 'P-256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const privateKey = createPrivateKey({
    key: generated.privateKey.export({ format: 'der', type: 'pkcs8' }),
    format: 'der',
    type: 'pkcs8',
  });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
