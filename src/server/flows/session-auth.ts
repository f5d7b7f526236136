/**
 * Bearer-token authentication for the management API: `Authorization: Bearer <token>`.
 */
import { ApiError } from '../api-error';
import type { ServerContext } from '../context';
import type { SessionRow } from '../store/sessions';
import { findSession } from '../store/sessions';

export async function requireSession(
  ctx: ServerContext,
  authorization: string | undefined,
): Promise<SessionRow> {
  if (!authorization)
    throw new ApiError(
      401,
      'NOT_SIGNED_IN',
      'expected an "Authorization: Bearer <token>" header from a sign-in',
    );
  // RFC 7235 §2.1: the scheme is case-insensitive ("bearer" works too), then one or more spaces and the token.
  const [, scheme = '', token = ''] = /^(\S*)(?: +(.*))?$/.exec(authorization) ?? [];
  if (scheme.toLowerCase() !== 'bearer')
    throw new ApiError(
      401,
      'NOT_SIGNED_IN',
      `the Authorization header has the ${JSON.stringify(scheme.slice(0, 20))} scheme, expected "Bearer <token>" from a sign-in`,
    );
  if (!token)
    throw new ApiError(
      401,
      'NOT_SIGNED_IN',
      'the Authorization header has no token after "Bearer", expected "Bearer <token>" from a sign-in',
    );
  // RFC 6750 §2.1: a b64token (this server's tokens are `<hex time>.<base64url secret>`, sessions.ts). A token of
  // another shape is not a session here either; it is refused without a lookup.
  const found = /^[A-Za-z0-9\-._~+/]{20,128}=*$/.test(token) ? await findSession(ctx.db, token) : undefined;
  const now = ctx.clock.now();
  if (!found) throw new ApiError(401, 'NOT_SIGNED_IN', 'the bearer token is not a session of this server');
  const { credential_state, ...session } = found;
  // A flagged passkey's sessions all end (store/sessions.ts); refused here too, in case one was not ended.
  if (credential_state === 'flagged')
    throw new ApiError(
      401,
      'SESSION_EXPIRED',
      'the session ended: the passkey it signed in with is flagged as possibly cloned; sign in again with another passkey',
    );
  // A revoked passkey does not refuse a session by itself: the one that revoked it lives on. Its other sessions
  // were ended by the revoke (revoked_at), and then the message says why.
  if (session.revoked_at !== null)
    throw new ApiError(
      401,
      'SESSION_EXPIRED',
      credential_state === 'gone'
        ? 'the session ended: it was signed out (by itself or by another session of the account), or the passkey it signed in with was revoked; sign in again'
        : 'the session was signed out, by itself or by another session of the account; sign in again',
    );
  if (session.expires_at <= now)
    throw new ApiError(
      401,
      'SESSION_EXPIRED',
      `the session expired at ${new Date(session.expires_at).toISOString()}; sign in again`,
    );
  return session;
}

/** For routes where a session is optional (adding a passkey when signed in, else creating an account). */
export async function optionalSession(
  ctx: ServerContext,
  authorization: string | undefined,
): Promise<SessionRow | undefined> {
  return authorization === undefined ? undefined : requireSession(ctx, authorization);
}

/**
 * The recent-sign-in rule: revoking a passkey, adding one to an existing account, approving a desktop login and
 * signing out the other sessions need a user-verified sign-in at most `recentSignInMs` old (the session's
 * verified_at), so a leaked or left-open session token alone cannot change which passkeys the account accepts, nor
 * sign the owner out.
 */
export function requireRecentSignIn(ctx: ServerContext, session: SessionRow, action: string): void {
  const age = ctx.clock.now() - session.verified_at;
  if (age > ctx.lifetimes.recentSignInMs) {
    throw new ApiError(
      403,
      'RECENT_SIGN_IN_REQUIRED',
      `${action} needs a user-verified sign-in in the last ${Math.round(ctx.lifetimes.recentSignInMs / 1000)} s; this session's was ${Math.round(age / 1000)} s ago`,
    );
  }
}
