/**
 * Registration (WebAuthn §7.1), verified by SimpleWebAuthn. Two cases share one ceremony:
 * - a new account: no session; the username must be free; success creates the user and signs them in;
 * - another passkey for the signed-in user: `excludeCredentials` lists their passkeys, so an authenticator that
 *   already holds one refuses (the page says "you already have a passkey here"), and the server refuses a
 *   duplicate credential ID with ALREADY_REGISTERED whatever the client did. Like revoking, it needs a recent
 *   user-verified sign-in (RECENT_SIGN_IN_REQUIRED), checked at the options and again at the verify step.
 */
import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { fromBase64url, toBase64url } from '../../shared/base64url';
import { ApiError } from '../api-error';
import type { ServerContext } from '../context';
import { consumeChallenge, insertChallenge } from '../store/challenges';
import { findCredential, insertCredential, listCredentials } from '../store/credentials';
import type { SessionRow } from '../store/sessions';
import { createSession } from '../store/sessions';
import { findUserById, findUserByName } from '../store/users';
import { requireRecentSignIn } from './session-auth';
import { challengeOf, newChallenge, newId } from './challenge-of';
import type { PasskeyView } from './passkey-view';
import { providerName, toPasskeyView } from './passkey-view';
import { coseAlgorithm } from '../webauthn/cose-key';

interface RegistrationData {
  newAccount: boolean;
  name: string;
  displayName: string;
}

export async function registrationOptions(
  ctx: ServerContext,
  input: { session: SessionRow | undefined; username?: string | undefined; displayName?: string | undefined },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  let userId: string;
  let data: RegistrationData;
  let exclude: { id: string; transports?: string[] }[] = [];
  if (input.session) {
    // Adding a passkey changes what can sign in to the account, as revoking does: the same recent-sign-in rule,
    // or an old leaked token could add its own passkey, sign in with it and revoke the owner's.
    requireRecentSignIn(ctx, input.session, 'adding a passkey');
    const user = await findUserById(ctx.db, input.session.user_id);
    if (!user) throw new ApiError(401, 'NOT_SIGNED_IN', 'the signed-in account no longer exists');
    userId = user.id;
    data = { newAccount: false, name: user.name, displayName: user.display_name };
    exclude = (await listCredentials(ctx.db, user.id)).map((c) => ({
      id: c.id,
      transports: JSON.parse(c.transports) as string[],
    }));
  } else {
    if (!input.username)
      throw new ApiError(
        400,
        'INVALID_INPUT',
        'a username is required to create an account (or sign in first to add a passkey)',
      );
    if (await findUserByName(ctx.db, input.username)) {
      throw new ApiError(
        409,
        'CONFLICT',
        `the username "${input.username}" is taken; sign in to add a passkey to it`,
      );
    }
    userId = newId();
    data = { newAccount: true, name: input.username, displayName: input.displayName ?? input.username };
  }
  const options = await generateRegistrationOptions({
    rpName: ctx.rpName,
    rpID: ctx.rpId,
    userName: data.name,
    userDisplayName: data.displayName,
    userID: Uint8Array.from(fromBase64url(userId)),
    challenge: Uint8Array.from(newChallenge()),
    attestationType: 'none',
    excludeCredentials: exclude,
    // Passkeys: discoverable (usernameless sign-in) and user-verifying (the issue requires UV).
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: [-8, -7, -257],
    timeout: ctx.lifetimes.challengeMs,
  });
  await insertChallenge(ctx.db, {
    id: options.challenge,
    flow: 'registration',
    user_id: userId,
    data: JSON.stringify(data),
    expires_at: ctx.clock.now() + ctx.lifetimes.challengeMs,
  });
  return options;
}

export interface RegistrationResult {
  passkey: PasskeyView;
  user: { id: string; name: string; displayName: string };
  /** Only for a new account: the sign-up is also a user-verified sign-in. */
  session?: { token: string; expiresAt: string };
}

export async function registrationVerify(
  ctx: ServerContext,
  input: { session: SessionRow | undefined; response: RegistrationResponseJSON; name?: string | undefined },
): Promise<RegistrationResult> {
  const challenge = challengeOf(input.response.response.clientDataJSON);
  const now = ctx.clock.now();
  const taken = await consumeChallenge(ctx.db, challenge, 'registration', now);
  if (!taken.ok) throw new ApiError(400, 'CHALLENGE_INVALID', `registration refused: ${taken.why}`);
  const row = taken.row;
  const data = JSON.parse(row.data) as RegistrationData;
  // The challenge is bound to its account: adding a passkey needs the session of that same user.
  if (!data.newAccount) {
    if (input.session?.user_id !== row.user_id) {
      throw new ApiError(
        401,
        'NOT_SIGNED_IN',
        'this challenge adds a passkey to an account; send the same session that asked for it',
      );
    }
    // Checked again here: the sign-in may have aged past the limit since the options were issued.
    requireRecentSignIn(ctx, input.session, 'adding a passkey');
  }
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: row.id,
      expectedOrigin: ctx.origins,
      expectedRPID: ctx.rpId,
      requireUserVerification: true,
    });
  } catch (e) {
    throw new ApiError(400, 'VERIFICATION_FAILED', `registration refused: ${(e as Error).message}`);
  }
  if (!verification.verified)
    throw new ApiError(400, 'VERIFICATION_FAILED', 'registration refused: attestation did not verify');
  const info = verification.registrationInfo;
  const credentialId = info.credential.id;
  if (await findCredential(ctx.db, credentialId)) {
    throw new ApiError(409, 'ALREADY_REGISTERED', 'you already have a passkey here from this authenticator', {
      credentialId,
    });
  }
  const userId = row.user_id!;
  const credential = {
    id: credentialId,
    user_id: userId,
    public_key: toBase64url(info.credential.publicKey),
    algorithm: coseAlgorithm(info.credential.publicKey),
    counter: info.credential.counter,
    transports: JSON.stringify(input.response.response.transports ?? []),
    aaguid: info.aaguid,
    device_type: info.credentialDeviceType,
    backup_eligible: info.credentialDeviceType === 'multiDevice' ? 1 : 0,
    backed_up: info.credentialBackedUp ? 1 : 0,
    name: input.name ?? providerName(info.aaguid) ?? 'Passkey',
    created_at: now,
    last_used_at: null,
    flagged_at: null,
    flag_reason: null,
  };
  if (data.newAccount) {
    await ctx.db.transaction().execute(async (trx) => {
      const clash = await trx
        .selectFrom('users')
        .select('id')
        .where('name', '=', data.name)
        .executeTakeFirst();
      if (clash)
        throw new ApiError(409, 'CONFLICT', `the username "${data.name}" was taken while you registered`);
      await trx
        .insertInto('users')
        .values({ id: userId, name: data.name, display_name: data.displayName, created_at: now })
        .execute();
      await trx.insertInto('credentials').values(credential).execute();
    });
  } else {
    await insertCredential(ctx.db, credential);
  }
  const result: RegistrationResult = {
    passkey: toPasskeyView(credential),
    user: { id: userId, name: data.name, displayName: data.displayName },
  };
  if (data.newAccount) {
    const s = await createSession(ctx.db, { userId, credentialId, now, ttlMs: ctx.lifetimes.sessionMs });
    result.session = { token: s.token, expiresAt: new Date(s.expiresAt).toISOString() };
  }
  return result;
}
