/**
 * The signature check of a sign-in, done ahead of the database transaction and off the main thread (the
 * server's `verifyInThreadPool`, VERIFY_IN_THREAD_POOL; on by default, see ServerContext).
 *
 * node:crypto's callback `verify` runs in libuv's thread pool, so while one sign-in's ECDSA check (the largest
 * single cost of a sign-in, about 45 µs) runs on another core, the main thread parses, queries and answers the
 * others. The result is a memo of exactly what was checked: the cached key object and the request's
 * authenticatorData, clientDataJSON and signature strings. The fast path (fast-verify.ts) still makes every
 * decision, in the same order, inside the transaction; where it would call `verify` it takes the memo's answer
 * only when the key object is the very same and the strings are equal, and checks again itself otherwise (a row
 * changed in between, or the input is not one the fast path decides).
 */
import { createHash, hash, verify as cryptoVerify } from 'node:crypto';
import type { DecodedClientData } from './client-data';
import type { FastKey } from './cose-key';
import { isCanonicalBase64url } from '../../shared/base64url';
import { isStrictDerEcdsaSignature } from './strict-bytes';

/**
 * What was checked, by the very strings of the request: the fast path decodes the same strings with the same
 * decoder (Buffer's base64url), so equal strings mean equal signed bytes and signature.
 */
export interface SignatureMemo {
  key: FastKey;
  authenticatorData: string;
  clientDataJSON: string;
  signature: string;
  ok: boolean;
}

/** authenticatorData || SHA-256(clientDataJSON): what an assertion's signature covers (WebAuthn §7.2 step 20). */
export function signedBytes(authData: Buffer, clientDataBytes: Buffer): Buffer {
  return Buffer.concat([authData, createHash('sha256').update(clientDataBytes).digest()]);
}

/**
 * Where the signed bytes and the signature are assembled for the thread pool. node:crypto copies an async job's
 * inputs when the job is created, so one buffer serves every call; nothing here allocates an ArrayBuffer. That
 * matters for memory: per-request Buffers that live across the thread-pool hop survive young-generation
 * collections, and their backing stores then wait for a full collection (with per-request Buffers the server held
 * about 15 MB more after a 30,000 sign-in burst).
 */
const scratch = Buffer.allocUnsafeSlow(256);
/** 37 bytes of authenticator data in base64url; a DER ECDSA P-256 signature is at most 72 bytes (96 characters). */
const AUTH_DATA_CHARS = 50;
const MAX_SIGNATURE_CHARS = 96;

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
  const { authenticatorData, signature } = response;
  if (typeof authenticatorData !== 'string' || typeof signature !== 'string') return undefined;
  if (authenticatorData.length !== AUTH_DATA_CHARS || signature.length > MAX_SIGNATURE_CHARS)
    return undefined;
  // The fast path delegates non-canonical text to SimpleWebAuthn: no thread-pool work for it here either.
  if (!isCanonicalBase64url(authenticatorData) || !isCanonicalBase64url(signature)) return undefined;
  scratch.write(authenticatorData, 0, 'base64url');
  scratch.write(hash('sha256', clientData.canonicalBytes, 'base64'), 37, 'base64');
  const signatureLength = scratch.write(signature, 69, 'base64url');
  const signatureBytes = scratch.subarray(69, 69 + signatureLength);
  if (key.kind === 'es256' ? !isStrictDerEcdsaSignature(signatureBytes) : signatureLength !== 64)
    return undefined;
  const memo = { key, authenticatorData, clientDataJSON: clientData.text, signature };
  return new Promise((resolve) => {
    cryptoVerify(
      key.kind === 'es256' ? 'sha256' : null,
      scratch.subarray(0, 69),
      key.key,
      signatureBytes,
      // An error here (none is expected for a parsed key) leaves the check to the transaction, which reports it.
      (error, ok) => resolve(error ? undefined : { ...memo, ok }),
    );
  });
}

/** The memo's answer for exactly this key and these strings; `undefined` when it is about anything else. */
export function memoAnswer(
  memo: SignatureMemo | undefined,
  key: FastKey,
  response: { authenticatorData: string; clientDataJSON: string; signature: string },
): boolean | undefined {
  return memo !== undefined &&
    memo.key === key &&
    memo.authenticatorData === response.authenticatorData &&
    memo.clientDataJSON === response.clientDataJSON &&
    memo.signature === response.signature
    ? memo.ok
    : undefined;
}
