/**
 * Sign-in (WebAuthn §7.2): usernameless (discoverable credentials, empty allowCredentials) or username-first
 * (allowCredentials lists the named user's passkeys). A verified assertion creates a bearer session.
 */
import { generateAuthenticationOptions } from '@simplewebauthn/server';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { ApiError } from '../api-error';
import type { ServerContext } from '../context';
import { checkChallenge, insertChallenge } from '../store/challenges';
import { listCredentials } from '../store/credentials';
import { newSessionToken, sessionKey } from '../store/sessions';
import type { LostSignIn, SignInDecision, SignInRead, SignInWrite } from '../store/sign-in';
import { findUserByName } from '../store/users';
import type { DecodedClientData } from '../webauthn/client-data';
import { decodeClientData } from '../webauthn/client-data';
import type { SignatureMemo } from '../webauthn/signature-ahead';
import { checkSignatureAhead } from '../webauthn/signature-ahead';
import type { AssertionVerdict } from '../webauthn/verify-assertion';
import { verifyAssertionFast, verifyWithSimpleWebAuthn } from '../webauthn/verify-assertion';
import { challengeOf, newChallenge } from './challenge-of';

export async function authenticationOptions(
  ctx: ServerContext,
  input: { username?: string | undefined },
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  let userId: string | null = null;
  let allow: { id: string; transports?: string[] }[] = [];
  if (input.username) {
    const user = await findUserByName(ctx.db, input.username);
    // An unknown name gets ordinary usernameless options (empty allowCredentials). This does tell who has an
    // account: a known name's reply lists its passkeys' IDs, an unknown one's lists none. That is the trade-off of
    // username-first sign-in (the client needs the IDs to find the passkey); the per-IP rate limit on this endpoint
    // only slows the probing. Usernameless sign-in (no name sent) reveals nothing.
    if (user) {
      userId = user.id;
      allow = (await listCredentials(ctx.db, user.id)).map((c) => ({
        id: c.id,
        transports: JSON.parse(c.transports) as string[],
      }));
    }
  }
  const options = await generateAuthenticationOptions({
    rpID: ctx.rpId,
    challenge: Uint8Array.from(newChallenge()),
    allowCredentials: allow,
    userVerification: 'required',
    timeout: ctx.lifetimes.challengeMs,
  });
  await insertChallenge(ctx.db, {
    id: options.challenge,
    flow: 'authentication',
    user_id: userId,
    data: '{}',
    expires_at: ctx.clock.now() + ctx.lifetimes.challengeMs,
  });
  return options;
}

export interface SignInResult {
  token: string;
  expiresAt: string;
  user: { id: string; name: string; displayName: string };
  credentialId: string;
}

/** What a sign-in decided: the result, or the error to answer with once the database work is committed. */
type SignInOutcome = { ok: true; result: SignInResult } | { ok: false; error: ApiError };

const NO_WRITE: SignInWrite = { kind: 'none' };
const refuse = (error: ApiError, write: SignInWrite = NO_WRITE): SignInDecision<SignInOutcome> => ({
  write,
  outcome: { ok: false, error },
});

// The page passes this ID to PublicKeyCredential.signalUnknownCredential so the provider can drop it.
const unknownCredential = (credentialId: string): ApiError =>
  new ApiError(401, 'UNKNOWN_CREDENTIAL', 'this passkey is not registered here (it may have been revoked)', {
    credentialId,
  });
const flaggedCredential = (): ApiError =>
  new ApiError(
    403,
    'COUNTER_REGRESSION',
    'this passkey is flagged as possibly cloned (its sign counter went backwards); use another passkey',
  );
const regression = (reason: string): ApiError =>
  new ApiError(403, 'COUNTER_REGRESSION', `sign-in refused and passkey flagged: ${reason}`);

/** A verified sign-in whose session the store could not record: the state it found instead (store/sign-in.ts). */
function lostSignIn(credentialId: string, lost: LostSignIn): SignInOutcome {
  switch (lost.why) {
    case 'revoked':
      return { ok: false, error: unknownCredential(credentialId) };
    case 'flagged':
      return { ok: false, error: flaggedCredential() };
    case 'regressed':
      return { ok: false, error: regression(lost.reason) };
  }
}

/**
 * `clientData` is the response's clientDataJSON already decoded by the route (decoded here when absent), so it
 * is parsed once per request: for the challenge lookup and for the fast path.
 */
export async function authenticationVerify(
  ctx: ServerContext,
  response: AuthenticationResponseJSON,
  clientData?: DecodedClientData,
): Promise<SignInResult> {
  const decoded = clientData ?? decodeClientData(response.response.clientDataJSON);
  const challenge = challengeOf(decoded);
  // No await at all when the thread pool is not used: one promise hop less on the hot path.
  const signatureMemo = ctx.verifyInThreadPool ? await signatureAhead(ctx, response, decoded) : undefined;
  const now = ctx.clock.now();
  const outcome = await ctx.signIns.signIn(challenge, response.id, (read) =>
    decideSignIn(ctx, response, decoded, read, now, signatureMemo),
  );
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
}

/**
 * The signature checked in the thread pool before the sign-in joins a transaction (signature-ahead.ts; the
 * server's verifyInThreadPool), with
 * the credential's cached key, or its stored key read and cached now when the store can read it cheaply. The
 * decision itself is still made inside the transaction, on the rows read there.
 */
async function signatureAhead(
  ctx: ServerContext,
  response: AuthenticationResponseJSON,
  clientData: DecodedClientData,
): Promise<SignatureMemo | undefined> {
  let key = ctx.keyCache.peek(response.id);
  if (key === undefined && ctx.signIns.storedPublicKey) {
    const stored = ctx.signIns.storedPublicKey(response.id);
    if (stored !== undefined) key = ctx.keyCache.get(response.id, stored);
  }
  return key === undefined ? undefined : checkSignatureAhead(key, response.response, clientData);
}

/**
 * Every check of a sign-in between reading the rows and writing the outcome. Synchronous when the fast path
 * decides (the embedded store then runs the whole sign-in as one transaction); a promise when SimpleWebAuthn must.
 */
function decideSignIn(
  ctx: ServerContext,
  response: AuthenticationResponseJSON,
  clientData: DecodedClientData,
  read: SignInRead,
  now: number,
  signatureMemo: SignatureMemo | undefined,
): SignInDecision<SignInOutcome> | Promise<SignInDecision<SignInOutcome>> {
  const taken = checkChallenge(read.challenge, 'authentication', now);
  if (!taken.ok) return refuse(new ApiError(400, 'CHALLENGE_INVALID', `sign-in refused: ${taken.why}`));
  const credential = read.credential;
  if (!credential) return refuse(unknownCredential(response.id));
  // §7.2 step 6: the credential must belong to the user named at the start (username-first) and to the user
  // handle the authenticator returned, which a usernameless sign-in must have.
  if (taken.row.user_id !== null && taken.row.user_id !== credential.user_id) {
    return refuse(
      new ApiError(
        400,
        'VERIFICATION_FAILED',
        'sign-in refused: the passkey belongs to another account than the one named',
      ),
    );
  }
  const userHandle = response.response.userHandle;
  // Usernameless: no user was named, so the user handle is what says whose passkey this is; it is required
  // (a discoverable credential always returns one). Checked here, before the fast path or SimpleWebAuthn.
  if (taken.row.user_id === null && !userHandle) {
    return refuse(
      new ApiError(
        400,
        'VERIFICATION_FAILED',
        'sign-in refused: a usernameless sign-in needs the userHandle the authenticator returns (WebAuthn §7.2 step 6); the response has none',
      ),
    );
  }
  if (userHandle && userHandle !== credential.user_id) {
    return refuse(
      new ApiError(
        400,
        'VERIFICATION_FAILED',
        'sign-in refused: userHandle does not match the passkey owner',
      ),
    );
  }
  if (credential.flagged_at !== null) return refuse(flaggedCredential());
  const input = {
    response,
    expectedChallenge: taken.row.id,
    expectedOrigins: ctx.origins,
    rpId: ctx.rpId,
    rpIdHash: ctx.rpIdHash,
    credential: { id: credential.id, publicKey: credential.public_key, counter: credential.counter },
    keyCache: ctx.keyCache,
    clientData,
    signatureMemo,
  };
  const conclude = (verdict: AssertionVerdict): SignInDecision<SignInOutcome> => {
    if (!verdict.ok) {
      if (verdict.counterRegression) {
        return refuse(regression(verdict.reason), {
          kind: 'flag',
          credentialId: credential.id,
          reason: verdict.reason,
          now,
        });
      }
      return refuse(new ApiError(400, 'VERIFICATION_FAILED', `sign-in refused: ${verdict.reason}`));
    }
    const token = newSessionToken();
    const expiresAt = now + ctx.lifetimes.sessionMs;
    return {
      write: {
        kind: 'session',
        credentialId: credential.id,
        counter: verdict.counter,
        backedUp: verdict.backedUp,
        session: {
          token_hash: sessionKey(token),
          user_id: credential.user_id,
          credential_id: credential.id,
          created_at: now,
          verified_at: now,
          expires_at: expiresAt,
          revoked_at: null,
        },
      },
      outcome: {
        ok: true,
        result: {
          token,
          expiresAt: new Date(expiresAt).toISOString(),
          user: {
            id: credential.user_id,
            name: credential.user_name,
            displayName: credential.user_display_name,
          },
          credentialId: credential.id,
        },
      },
      // Revoked, flagged or overtaken between this read and the write: no session, and the reason why.
      lost: (lost) => lostSignIn(credential.id, lost),
    };
  };
  const fast = verifyAssertionFast(input);
  return fast ? conclude(fast) : verifyWithSimpleWebAuthn(input).then(conclude);
}
