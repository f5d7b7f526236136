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
  // RFC 6750 §2.1: a b64token (this server's tokens are `<hex time>.<base64url secret>`, sessions.ts).
  const match = /^Bearer ([A-Za-z0-9\-._~+/]{20,128}=*)$/.exec(authorization ?? '');
  if (!match)
    throw new ApiError(
      401,
      'NOT_SIGNED_IN',
      'expected an "Authorization: Bearer <token>" header from a sign-in',
    );
  const session = await findSession(ctx.db, match[1]!);
  const now = ctx.clock.now();
  if (!session) throw new ApiError(401, 'NOT_SIGNED_IN', 'the bearer token is not a session of this server');
  if (session.revoked_at !== null)
    throw new ApiError(401, 'SESSION_EXPIRED', 'the session was signed out; sign in again');
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
