/** Desktop login routes (RFC 8252 + PKCE). See flows/desktop.ts and docs/server-api.md. */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';
import {
  approveDesktopLogin,
  denyDesktopLogin,
  exchangeDesktopCode,
  startDesktopLogin,
} from '../flows/desktop';
import { requireSession } from '../flows/session-auth';
import { desktopApproveBody, desktopAuthorizeQuery, desktopTokenBody, parse } from '../schemas';
import type { RateLimitSetting } from './limits';
import { ceremonyLimit } from './limits';

export function registerDesktopRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  limit: RateLimitSetting | false,
): void {
  const opts = ceremonyLimit(limit);

  // Opened in the system browser. Invalid parameters get a 400 here and are never redirected anywhere.
  app.get('/desktop/authorize', opts, async (request, reply) => {
    const q = parse(desktopAuthorizeQuery, request.query, 'query');
    const { requestId } = await startDesktopLogin(ctx, {
      redirectUri: q.redirect_uri,
      codeChallenge: q.code_challenge,
      state: q.state,
    });
    return reply.redirect(`/signin?desktop=${encodeURIComponent(requestId)}`, 303);
  });

  app.post('/api/desktop/approve', opts, async (request) => {
    const session = await requireSession(ctx, request.headers.authorization);
    const body = parse(desktopApproveBody, request.body, 'body');
    return approveDesktopLogin(ctx, session, body.request);
  });

  // The sign-in page's Cancel; the same body as approve, no session needed.
  app.post('/api/desktop/deny', opts, async (request) => {
    const body = parse(desktopApproveBody, request.body, 'body');
    return denyDesktopLogin(ctx, body.request);
  });

  // RFC 6749 §4.1.3 sends a form body; JSON is accepted too.
  app.post('/api/desktop/token', opts, async (request) => {
    const body = parse(desktopTokenBody, request.body, 'body');
    return exchangeDesktopCode(ctx, {
      code: body.code,
      codeVerifier: body.code_verifier,
      redirectUri: body.redirect_uri,
    });
  });
}
