/** Desktop login routes (RFC 8252 + PKCE). See flows/desktop.ts and docs/server-api.md. */
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import type { ServerContext } from '../context';
import {
  approveDesktopLogin,
  denyDesktopLogin,
  describeDesktopLogin,
  exchangeDesktopCode,
  spendNamedCode,
  startDesktopLogin,
} from '../flows/desktop';
import { requireSession } from '../flows/session-auth';
import { desktopApproveBody, desktopAuthorizeQuery, desktopTokenBody, parse } from '../schemas';

/** `opts` carries the per-IP limit these routes share with the ceremony routes (limits.ts). */
export function registerDesktopRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  opts: RouteShorthandOptions,
): void {
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

  // The sign-in page asks where the app listens, to show it next to Allow and Deny. Spends nothing.
  app.post('/api/desktop/request', opts, async (request) => {
    const body = parse(desktopApproveBody, request.body, 'body');
    return describeDesktopLogin(ctx, body.request);
  });

  // The sign-in page's Allow, after the passkey sign-in.
  app.post('/api/desktop/approve', opts, async (request) => {
    const session = await requireSession(ctx, request.headers.authorization);
    const body = parse(desktopApproveBody, request.body, 'body');
    return approveDesktopLogin(ctx, session, body.request);
  });

  // The sign-in page's Deny (after signing in) and Cancel (before); the same body as approve, no session needed.
  app.post('/api/desktop/deny', opts, async (request) => {
    const body = parse(desktopApproveBody, request.body, 'body');
    return denyDesktopLogin(ctx, body.request);
  });

  // RFC 6749 §4.1.3 sends a form body; JSON is accepted too. Forms are parsed in this scope only: everywhere else
  // a form body (a type a cross-site page can send without CORS) is 415.
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    scope.post('/api/desktop/token', opts, async (request) => {
      let body;
      try {
        body = parse(desktopTokenBody, request.body, 'body');
      } catch (e) {
        // Spent by its first use, right or wrong: also by a request refused for another member.
        await spendNamedCode(ctx, request.body);
        throw e;
      }
      return exchangeDesktopCode(ctx, {
        code: body.code,
        codeVerifier: body.code_verifier,
        redirectUri: body.redirect_uri,
      });
    });
  });
}
