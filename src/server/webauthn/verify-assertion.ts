/**
 * Sign-in verification: the fast path first; whatever it delegates goes to SimpleWebAuthn's
 * verifyAuthenticationResponse, which is also the oracle the fast path is tested against.
 */
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { fromBase64url } from '../../shared/base64url';
import type { DecodedClientData } from './client-data';
import type { KeyCache } from './key-cache';
import { fastVerifyAssertion } from './fast-verify';
import type { SignatureMemo } from './signature-ahead';

export interface StoredCredential {
  id: string;
  /** COSE_Key, base64url. */
  publicKey: string;
  counter: number;
}

export interface VerifyAssertionInput {
  response: AuthenticationResponseJSON;
  expectedChallenge: string;
  expectedOrigins: readonly string[];
  rpId: string;
  rpIdHash: Uint8Array;
  credential: StoredCredential;
  keyCache: KeyCache;
  /** clientDataJSON decoded once by the caller; decoded here when absent. */
  clientData?: DecodedClientData | undefined;
  /** The signature checked ahead, off the main thread (signature-ahead.ts). */
  signatureMemo?: SignatureMemo | undefined;
}

export type AssertionVerdict =
  | { ok: true; counter: number; backedUp: boolean; path: 'fast' | 'simplewebauthn' }
  | { ok: false; reason: string; counterRegression: boolean; path: 'fast' | 'simplewebauthn' };

export async function verifyAssertion(input: VerifyAssertionInput): Promise<AssertionVerdict> {
  return verifyAssertionFast(input) ?? verifyWithSimpleWebAuthn(input);
}

/**
 * The fast path alone, synchronously: the verdict, or `null` when the input must go to SimpleWebAuthn. Being
 * synchronous lets the embedded store run a whole sign-in in one transaction without yielding.
 */
export function verifyAssertionFast(input: VerifyAssertionInput): AssertionVerdict | null {
  const key = input.keyCache.get(input.credential.id, input.credential.publicKey);
  const fast = fastVerifyAssertion({
    response: input.response,
    expectedChallenge: input.expectedChallenge,
    expectedOrigins: input.expectedOrigins,
    expectedRpIdHash: input.rpIdHash,
    key,
    storedCounter: input.credential.counter,
    clientData: input.clientData,
    signatureMemo: input.signatureMemo,
  });
  switch (fast.kind) {
    case 'verified':
      return { ok: true, counter: fast.counter, backedUp: fast.backedUp, path: 'fast' };
    case 'rejected':
      return {
        ok: false,
        reason: fast.reason,
        counterRegression: fast.counterRegression === true,
        path: 'fast',
      };
    case 'delegate':
      return null;
  }
}

export async function verifyWithSimpleWebAuthn(
  input: Omit<VerifyAssertionInput, 'keyCache' | 'rpIdHash' | 'clientData' | 'signatureMemo'>,
): Promise<AssertionVerdict> {
  const run = (counter: number) =>
    verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: [...input.expectedOrigins],
      expectedRPID: input.rpId,
      credential: {
        id: input.credential.id,
        publicKey: Uint8Array.from(fromBase64url(input.credential.publicKey)),
        counter,
      },
      requireUserVerification: true,
    });
  try {
    const result = await run(input.credential.counter);
    if (!result.verified)
      return {
        ok: false,
        reason: 'signature does not verify',
        counterRegression: false,
        path: 'simplewebauthn',
      };
    return {
      ok: true,
      counter: result.authenticationInfo.newCounter,
      backedUp: result.authenticationInfo.credentialBackedUp,
      path: 'simplewebauthn',
    };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    // SimpleWebAuthn checks the counter before the signature; only flag a credential for a correctly signed
    // assertion, so check the rest again with the counter out of the way.
    let counterRegression = false;
    if (/counter value/i.test(reason) && input.credential.counter > 0) {
      counterRegression = await run(0).then(
        (r) => r.verified,
        () => false,
      );
    }
    return { ok: false, reason, counterRegression, path: 'simplewebauthn' };
  }
}
