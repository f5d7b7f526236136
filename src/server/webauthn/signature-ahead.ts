/**
 * The signature check of a sign-in, done ahead of the database transaction and off the main thread (the
 * server's `verifyInThreadPool`, VERIFY_IN_THREAD_POOL=1; off by default, see ServerContext).
 *
 * node:crypto's callback `verify` runs in libuv's thread pool, so while one sign-in's ECDSA check (the largest
 * single cost of a sign-in, about 45 µs) runs on another core, the main thread parses, queries and answers the
 * others. The result is a memo of exactly what was checked: the cached key object, the signed bytes and the
 * signature. The fast path (fast-verify.ts) still makes every decision, in the same order, inside the
 * transaction; where it would call `verify` it takes the memo's answer only when key object, signed bytes and
 * signature are all the very same, and checks again itself otherwise (a row changed in between, or the input
 * is not one the fast path decides).
 */
import { createHash, verify as cryptoVerify } from 'node:crypto';
import type { DecodedClientData } from './client-data';
import type { FastKey } from './cose-key';
import { canonicalBase64url, isStrictDerEcdsaSignature } from './strict-bytes';

export interface SignatureMemo {
  key: FastKey;
  signed: Buffer;
  signature: Buffer;
  ok: boolean;
}

/** authenticatorData || SHA-256(clientDataJSON): what an assertion's signature covers (WebAuthn §7.2 step 20). */
export function signedBytes(authData: Buffer, clientDataBytes: Buffer): Buffer {
  return Buffer.concat([authData, createHash('sha256').update(clientDataBytes).digest()]);
}

/**
 * The signature of `response` checked with `key` in the thread pool; `undefined` when the input is not in the
 * shape the fast path verifies itself (it then decides, or delegates, inside the transaction as before).
 */
export function checkSignatureAhead(
  key: FastKey,
  response: { authenticatorData: string; signature: string },
  clientData: DecodedClientData,
): Promise<SignatureMemo | undefined> | undefined {
  if (key.kind === 'unsupported' || clientData.canonicalBytes === null) return undefined;
  if (typeof response.authenticatorData !== 'string' || typeof response.signature !== 'string')
    return undefined;
  const authData = canonicalBase64url(response.authenticatorData);
  const signature = canonicalBase64url(response.signature);
  if (!authData || authData.length !== 37 || !signature) return undefined;
  if (key.kind === 'es256' ? !isStrictDerEcdsaSignature(signature) : signature.length !== 64)
    return undefined;
  const signed = signedBytes(authData, clientData.canonicalBytes);
  return new Promise((resolve) => {
    cryptoVerify(key.kind === 'es256' ? 'sha256' : null, signed, key.key, signature, (error, ok) =>
      // An error here (none is expected for a parsed key) leaves the check to the transaction, which reports it.
      resolve(error ? undefined : { key, signed, signature, ok }),
    );
  });
}

/** The memo's answer for exactly this key, message and signature; `undefined` when it is about anything else. */
export function memoAnswer(
  memo: SignatureMemo | undefined,
  key: FastKey,
  signed: Buffer,
  signature: Buffer,
): boolean | undefined {
  return memo !== undefined &&
    memo.key === key &&
    memo.signed.equals(signed) &&
    memo.signature.equals(signature)
    ? memo.ok
    : undefined;
}
