/**
 * Desktop login for native apps (RFC 8252): the app opens the system browser at /desktop/authorize with a
 * loopback redirect URI (RFC 8252 §7.3) and a PKCE S256 challenge (RFC 7636); after a passkey sign-in the page
 * asks for a one-time code and the browser is sent to the redirect URI with `code` and `state`; the app
 * exchanges code + verifier for a session token. Codes are single-use, expire in a minute and are bound to
 * the redirect URI and the PKCE challenge.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../api-error';
import type { ServerContext } from '../context';
import {
  findDesktopRequest,
  insertDesktopCode,
  insertDesktopRequest,
  takeDesktopCode,
  takeDesktopRequest,
} from '../store/desktop';
import type { DesktopRequestRow } from '../store/desktop';
import type { SessionRow } from '../store/sessions';
import { createSession } from '../store/sessions';
import { newId } from './challenge-of';

/**
 * Only `http://127.0.0.1:PORT/...` (RFC 8252 §7.3; §8.3 prefers the IP literal over "localhost"), on a port an app
 * can listen on (1-65535), with no credentials or fragment. A refusal names every problem, not just the origin.
 */
export function checkLoopbackRedirect(uri: string): URL {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new ApiError(400, 'INVALID_INPUT', `redirect_uri ${JSON.stringify(uri.slice(0, 80))} is not a URL`);
  }
  const problems: string[] = [];
  if (url.protocol !== 'http:') problems.push(`its scheme is ${url.protocol.slice(0, -1)}, not http`);
  if (url.hostname !== '127.0.0.1') problems.push(`its host is ${url.hostname.slice(0, 80)}, not 127.0.0.1`);
  // The URL parser drops a scheme's default port (http://127.0.0.1:80/ has none).
  if (url.port === '') problems.push('it names no port (or the default one)');
  else if (url.port === '0') problems.push('its port is 0, which no app listens on');
  if (url.username || url.password) problems.push('it has a user name or password');
  if (url.hash) problems.push('it has a fragment (#...)');
  if (problems.length > 0) {
    throw new ApiError(
      400,
      'INVALID_INPUT',
      `redirect_uri ${url.protocol}//${url.host}${url.pathname.slice(0, 80)} is refused: ${problems.join('; ')}. Expected http://127.0.0.1:<port>/<path> with no credentials or fragment`,
    );
  }
  return url;
}

export async function startDesktopLogin(
  ctx: ServerContext,
  input: { redirectUri: string; codeChallenge: string; state: string },
): Promise<{ requestId: string }> {
  checkLoopbackRedirect(input.redirectUri);
  const requestId = newId(24);
  await insertDesktopRequest(ctx.db, {
    id: requestId,
    redirect_uri: input.redirectUri,
    code_challenge: input.codeChallenge,
    state: input.state,
    expires_at: ctx.clock.now() + ctx.lifetimes.desktopRequestMs,
  });
  return { requestId };
}

/**
 * What the sign-in page shows next to Allow and Deny: the address the app listens on (from the stored redirect
 * URI, not from anything in the page's URL) and when the request expires. Reads the request; spends nothing.
 */
export async function describeDesktopLogin(
  ctx: ServerContext,
  requestId: string,
): Promise<{ app: string; expiresAt: string }> {
  const request = await findDesktopRequest(ctx.db, requestId);
  if (!request || request.expires_at <= ctx.clock.now())
    throw new ApiError(
      400,
      'INVALID_GRANT',
      'the desktop login request is unknown, used or expired; start again from the app',
    );
  return { app: new URL(request.redirect_uri).host, expiresAt: new Date(request.expires_at).toISOString() };
}

/**
 * The page's Allow, after the user signed in and saw which account and which app (RFC 8252 §8.6: an app on this
 * computer could have started the request; the user decides); returns where to send the browser.
 */
export async function approveDesktopLogin(
  ctx: ServerContext,
  session: SessionRow,
  requestId: string,
): Promise<{ redirectTo: string }> {
  const now = ctx.clock.now();
  if (now - session.verified_at > ctx.lifetimes.recentSignInMs) {
    throw new ApiError(
      403,
      'RECENT_SIGN_IN_REQUIRED',
      'approving a desktop login needs a passkey sign-in just before',
    );
  }
  const request = await takeLiveRequest(ctx, requestId, 'start again from the app');
  const code = newId(32);
  await insertDesktopCode(ctx.db, code, {
    user_id: session.user_id,
    credential_id: session.credential_id,
    verified_at: session.verified_at,
    redirect_uri: request.redirect_uri,
    code_challenge: request.code_challenge,
    expires_at: now + ctx.lifetimes.desktopCodeMs,
  });
  const target = new URL(request.redirect_uri);
  target.searchParams.set('code', code);
  target.searchParams.set('state', request.state);
  return { redirectTo: target.toString() };
}

/** Spends a desktop login request (approved or declined, it is used once) and checks it was still live. */
async function takeLiveRequest(
  ctx: ServerContext,
  requestId: string,
  advice: string,
): Promise<DesktopRequestRow> {
  const request = await takeDesktopRequest(ctx.db, requestId);
  if (!request || request.expires_at <= ctx.clock.now())
    throw new ApiError(
      400,
      'INVALID_GRANT',
      `the desktop login request is unknown, used or expired; ${advice}`,
    );
  return request;
}

/**
 * The sign-in page's Deny (after signing in) or Cancel (before): the user declines. The request is spent, and the
 * browser goes back to the app with `error=access_denied` and the state (RFC 6749 §4.1.2.1), so the app stops
 * waiting at once. Needs no session: whoever holds the request id (the browser the app opened) may decline it, and
 * declining grants nothing.
 */
export async function denyDesktopLogin(
  ctx: ServerContext,
  requestId: string,
): Promise<{ redirectTo: string }> {
  const request = await takeLiveRequest(ctx, requestId, 'the app has stopped waiting for it');
  const target = new URL(request.redirect_uri);
  target.searchParams.set('error', 'access_denied');
  target.searchParams.set('state', request.state);
  return { redirectTo: target.toString() };
}

/**
 * A token request refused before the exchange (a wrong grant_type, a missing verifier, an unknown member) still
 * spends the code it names, as RFC 6749 §4.1.2 has it: a code works for its first request only, right or wrong.
 * A body with no `code` string names none.
 */
export async function spendNamedCode(ctx: ServerContext, body: unknown): Promise<void> {
  const code = typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined;
  if (typeof code === 'string') await takeDesktopCode(ctx.db, code);
}

export async function exchangeDesktopCode(
  ctx: ServerContext,
  input: { code: string; codeVerifier: string; redirectUri: string },
): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number; expires_at: string }> {
  const now = ctx.clock.now();
  // Taken (deleted) before any check: a code is spent by its first use, right or wrong (RFC 6749 §4.1.2).
  const row = await takeDesktopCode(ctx.db, input.code);
  if (!row) throw new ApiError(400, 'INVALID_GRANT', 'the code is unknown or was already used');
  if (row.expires_at <= now)
    throw new ApiError(
      400,
      'INVALID_GRANT',
      `the code expired ${Math.round((now - row.expires_at) / 1000)} s ago`,
    );
  if (row.redirect_uri !== input.redirectUri)
    throw new ApiError(400, 'INVALID_GRANT', 'redirect_uri differs from the one the login started with');
  const computed = Buffer.from(createHash('sha256').update(input.codeVerifier).digest('base64url'));
  const expected = Buffer.from(row.code_challenge);
  if (computed.length !== expected.length || !timingSafeEqual(computed, expected)) {
    throw new ApiError(400, 'INVALID_GRANT', 'code_verifier does not match the code_challenge (S256)');
  }
  // The app's session inherits the passkey and the time of the browser's user-verified sign-in, not a fresh one;
  // so it is made only while that passkey still exists and is unflagged. Revoking a passkey deletes its unspent
  // codes, and this check covers a code approved while the revoke ran. On PostgreSQL the passkey's row is
  // share-locked until the session is committed: a concurrent revoke or flag either waits and then ends this
  // session too, or is seen here. This also refuses a code whose approving session then revoked its own passkey
  // (that session itself lives on, store/credentials.ts): codes live a minute, so that costs a new login at most.
  const session = await ctx.db.transaction().execute(async (trx) => {
    const passkey = trx
      .selectFrom('credentials')
      .select('id')
      .where('id', '=', row.credential_id)
      .where('user_id', '=', row.user_id)
      .where('flagged_at', 'is', null);
    if (!(await (ctx.engine === 'postgres' ? passkey.forShare() : passkey).executeTakeFirst())) {
      throw new ApiError(
        400,
        'INVALID_GRANT',
        'the passkey that approved this login was revoked or flagged since; start again from the app',
      );
    }
    return createSession(trx, {
      userId: row.user_id,
      credentialId: row.credential_id,
      now,
      ttlMs: ctx.lifetimes.sessionMs,
      verifiedAt: row.verified_at,
    });
  });
  return {
    access_token: session.token,
    token_type: 'Bearer',
    expires_in: Math.round((session.expiresAt - now) / 1000),
    expires_at: new Date(session.expiresAt).toISOString(),
  };
}
