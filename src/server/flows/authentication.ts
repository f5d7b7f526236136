/**
 * Sign-in (WebAuthn §7.2): usernameless (discoverable credentials, empty allowCredentials) or username-first
 * (allowCredentials lists the named user's passkeys). A verified assertion creates a bearer session.
 */
import { generateAuthenticationOptions } from '@simplewebauthn/server';
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { ApiError } from '../api-error';
import type { ServerContext } from '../context';
import { consumeChallenge, insertChallenge } from '../store/challenges';
import { findCredentialWithUser, flagCredential, listCredentials, recordUse } from '../store/credentials';
import { createSession } from '../store/sessions';
import { findUserByName } from '../store/users';
import { verifyAssertion } from '../webauthn/verify-assertion';
import { challengeOf, newChallenge } from './challenge-of';

export async function authenticationOptions(ctx: ServerContext, input: { username?: string | undefined }): Promise<PublicKeyCredentialRequestOptionsJSON> {
  let userId: string | null = null;
  let allow: { id: string; transports?: string[] }[] = [];
  if (input.username) {
    const user = await findUserByName(ctx.db, input.username);
    // An unknown name gets ordinary usernameless options: the reply does not tell who has an account.
    if (user) {
      userId = user.id;
      allow = (await listCredentials(ctx.db, user.id)).map((c) => ({ id: c.id, transports: JSON.parse(c.transports) as string[] }));
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

export async function authenticationVerify(ctx: ServerContext, response: AuthenticationResponseJSON): Promise<SignInResult> {
  const challenge = challengeOf(response.response.clientDataJSON);
  const now = ctx.clock.now();
  const taken = await consumeChallenge(ctx.db, challenge, 'authentication', now);
  if (!taken.ok) throw new ApiError(400, 'CHALLENGE_INVALID', `sign-in refused: ${taken.why}`);
  const credential = await findCredentialWithUser(ctx.db, response.id);
  if (!credential) {
    // The page passes this ID to PublicKeyCredential.signalUnknownCredential so the provider can drop it.
    throw new ApiError(401, 'UNKNOWN_CREDENTIAL', 'this passkey is not registered here (it may have been revoked)', { credentialId: response.id });
  }
  // §7.2 step 6: the credential must belong to the user named at the start (username-first) and to the user
  // handle the authenticator returned (usernameless).
  if (taken.row.user_id !== null && taken.row.user_id !== credential.user_id) {
    throw new ApiError(400, 'VERIFICATION_FAILED', 'sign-in refused: the passkey belongs to another account than the one named');
  }
  const userHandle = response.response.userHandle;
  if (userHandle && userHandle !== credential.user_id) {
    throw new ApiError(400, 'VERIFICATION_FAILED', 'sign-in refused: userHandle does not match the passkey owner');
  }
  if (credential.flagged_at !== null) {
    throw new ApiError(403, 'COUNTER_REGRESSION', 'this passkey is flagged as possibly cloned (its sign counter went backwards); use another passkey');
  }
  const verdict = await verifyAssertion({
    response,
    expectedChallenge: taken.row.id,
    expectedOrigins: ctx.origins,
    rpId: ctx.rpId,
    rpIdHash: ctx.rpIdHash,
    credential: { id: credential.id, publicKey: credential.public_key, counter: credential.counter },
    keyCache: ctx.keyCache,
  });
  if (!verdict.ok) {
    if (verdict.counterRegression) {
      await flagCredential(ctx.db, credential.id, verdict.reason, now);
      throw new ApiError(403, 'COUNTER_REGRESSION', `sign-in refused and passkey flagged: ${verdict.reason}`);
    }
    throw new ApiError(400, 'VERIFICATION_FAILED', `sign-in refused: ${verdict.reason}`);
  }
  await recordUse(ctx.db, credential.id, { counter: verdict.counter, backedUp: verdict.backedUp, now });
  const session = await createSession(ctx.db, { userId: credential.user_id, credentialId: credential.id, now, ttlMs: ctx.lifetimes.sessionMs });
  return {
    token: session.token,
    expiresAt: new Date(session.expiresAt).toISOString(),
    user: { id: credential.user_id, name: credential.user_name, displayName: credential.user_display_name },
    credentialId: credential.id,
  };
}
