/**
 * The sign-in fast path: WebAuthn §7.2 "Verifying an Authentication Assertion" for the common shape of
 * assertion (37-byte authenticator data, ES256 or Ed25519 key, canonical encodings), with the key already parsed
 * into a KeyObject and node:crypto doing the verify. No CBOR, no WebCrypto import per call.
 *
 * It answers `verified`, `rejected`, or `delegate`: any input it does not read exactly as SimpleWebAuthn does is
 * delegated to SimpleWebAuthn, so the two can never disagree. test/server/fast-verify.differential.test.ts
 * checks that on valid, tampered and random assertions.
 */
import { verify as cryptoVerify } from 'node:crypto';
import type { DecodedClientData } from './client-data';
import { decodeClientData } from './client-data';
import type { FastKey } from './cose-key';
import type { SignatureMemo } from './signature-ahead';
import { memoAnswer, signedBytes } from './signature-ahead';
import { canonicalBase64url, isStrictDerEcdsaSignature } from './strict-bytes';

export interface AssertionShape {
  id: string;
  rawId: string;
  type: string;
  response: {
    clientDataJSON: string;
    authenticatorData: string;
    signature: string;
    userHandle?: string | undefined;
  };
}

export interface FastVerifyInput {
  response: AssertionShape;
  expectedChallenge: string;
  expectedOrigins: readonly string[];
  /** SHA-256 of the RP ID, computed once per server. */
  expectedRpIdHash: Uint8Array;
  key: FastKey;
  storedCounter: number;
  /** clientDataJSON already decoded by the caller (the server decodes it once per request). */
  clientData?: DecodedClientData | undefined;
  /** The signature already checked off the main thread (signature-ahead.ts); used only for the identical check. */
  signatureMemo?: SignatureMemo | undefined;
}

export type FastVerdict =
  | { kind: 'verified'; counter: number; userVerified: boolean; backupEligible: boolean; backedUp: boolean }
  | { kind: 'rejected'; reason: string; counterRegression?: boolean }
  | { kind: 'delegate'; reason: string };

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT_OR_ED = 0x40 | 0x80;
const OPEN_BRACE = 0x7b;

const reject = (reason: string): FastVerdict => ({ kind: 'rejected', reason });

/**
 * §7.2 step 21, as SimpleWebAuthn applies it too: a sign counter that is not above the stored one is a regression
 * (a hint of a cloned authenticator), except when both are 0 (an authenticator that keeps no counter). The
 * sign-in store applies the same rule again when it writes (store/sign-in.ts).
 */
export const counterRegressed = (counter: number, stored: number): boolean =>
  (counter > 0 || stored > 0) && counter <= stored;
const delegate = (reason: string): FastVerdict => ({ kind: 'delegate', reason });

export function fastVerifyAssertion(input: FastVerifyInput): FastVerdict {
  const { response } = input;
  if (typeof response.id !== 'string' || typeof response.rawId !== 'string')
    return delegate('id is not a string');
  if (!response.id) return reject('missing credential ID');
  if (response.id !== response.rawId) return reject('id and rawId differ');
  if (response.type !== 'public-key') return reject(`type is "${response.type}", expected "public-key"`);
  if (input.key.kind === 'unsupported') return delegate(input.key.why);
  const r = response.response;
  if (r.userHandle !== undefined && typeof r.userHandle !== 'string')
    return delegate('userHandle is not a string');

  // §7.2 steps 10-14: clientDataJSON is UTF-8 JSON naming the ceremony type, the challenge and the origin.
  // A pre-decoded value is used only if it was decoded from this very text.
  const decoded =
    input.clientData !== undefined && input.clientData.text === r.clientDataJSON
      ? input.clientData
      : decodeClientData(r.clientDataJSON);
  const clientDataBytes = decoded.canonicalBytes;
  // A leading BOM or whitespace is decoded differently by TextDecoder and Buffer: leave those to SimpleWebAuthn.
  if (!clientDataBytes || clientDataBytes[0] !== OPEN_BRACE)
    return delegate('clientDataJSON is not canonical base64url JSON');
  if (decoded.parseError) return reject('clientDataJSON is not JSON');
  const clientData = decoded.value;
  if (typeof clientData !== 'object' || clientData === null || Array.isArray(clientData))
    return delegate('clientData is not an object');
  const cd = clientData as Record<string, unknown>;
  if (cd.crossOrigin || cd.topOrigin || cd.tokenBinding) return delegate('cross-origin or token binding');
  if (cd.type !== 'webauthn.get')
    return reject(`clientData.type is ${JSON.stringify(cd.type)}, expected "webauthn.get"`);
  if (cd.challenge !== input.expectedChallenge)
    return reject('clientData.challenge does not match the issued challenge');
  if (typeof cd.origin !== 'string' || !input.expectedOrigins.includes(cd.origin)) {
    return reject(
      `clientData.origin is ${JSON.stringify(cd.origin)}, expected one of ${input.expectedOrigins.join(', ')}`,
    );
  }

  // §7.2 steps 15-17, 21: authenticator data = rpIdHash (32) | flags (1) | signCount (4).
  const authData = canonicalBase64url(r.authenticatorData);
  if (!authData) return delegate('authenticatorData is not canonical base64url');
  if (authData.length !== 37)
    return delegate(`authenticatorData is ${authData.length} bytes (extensions or attested data)`);
  const flags = authData[32]!;
  if (flags & FLAG_AT_OR_ED) return delegate('AT or ED flag set');
  if (!authData.subarray(0, 32).equals(input.expectedRpIdHash))
    return reject('rpIdHash does not match the RP ID');
  if (!(flags & FLAG_UP)) return reject('user presence flag is not set');
  if (!(flags & FLAG_UV)) return reject('user verification is required but the UV flag is not set');
  const counter = authData.readUInt32BE(33);
  // §7.2 step 21: a counter that does not grow hints at a cloned authenticator. Decided after the signature,
  // so that only a correctly signed assertion can get a credential flagged.
  const regressed = counterRegressed(counter, input.storedCounter);
  const backupEligible = (flags & FLAG_BE) !== 0;
  const backedUp = (flags & FLAG_BS) !== 0;
  if (backedUp && !backupEligible) return reject('backed up (BS) without backup eligibility (BE)');

  // §7.2 steps 19-20: verify the signature over authData || SHA-256(clientDataJSON).
  const signature = canonicalBase64url(r.signature);
  if (!signature) return delegate('signature is not canonical base64url');
  // The signed bytes are only built when no memo answers (hashing them is wasted work otherwise).
  let ok: boolean;
  if (input.key.kind === 'es256') {
    if (!isStrictDerEcdsaSignature(signature)) return delegate('ECDSA signature is not strict DER');
    ok =
      memoAnswer(input.signatureMemo, input.key, r) ??
      cryptoVerify('sha256', signedBytes(authData, clientDataBytes), input.key.key, signature);
  } else {
    if (signature.length !== 64) return delegate(`Ed25519 signature is ${signature.length} bytes`);
    ok =
      memoAnswer(input.signatureMemo, input.key, r) ??
      cryptoVerify(null, signedBytes(authData, clientDataBytes), input.key.key, signature);
  }
  if (!ok) return reject('signature does not verify');
  if (regressed) {
    return {
      kind: 'rejected',
      reason: `sign counter ${counter} is not above the stored ${input.storedCounter}`,
      counterRegression: true,
    };
  }
  return { kind: 'verified', counter, userVerified: true, backupEligible, backedUp };
}
