/**
 * Security headers on every response, and a closed door for cross-origin browsers: no CORS headers are ever
 * sent, and a request carrying an Origin that is not one of ours is refused before any work.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../api-error';
import type { ServerContext } from '../context';

/** Pages load only their own script and style; nothing inline, nothing from elsewhere. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** The same on every response; set in one call. */
export const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy':
    'publickey-credentials-create=(self), publickey-credentials-get=(self), camera=(), microphone=(), geolocation=()',
} as const;

// Callback-style hooks, not async ones: an async hook costs a promise and a microtask per request on every route.
export function installSecurityHeaders(app: FastifyInstance, ctx: ServerContext): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const origin = request.headers.origin;
    if (origin !== undefined && !ctx.origins.includes(origin)) {
      done(
        new ApiError(
          403,
          'FORBIDDEN_ORIGIN',
          `requests from origin ${origin} are not accepted; expected one of ${ctx.origins.join(', ')}`,
        ),
      );
      return;
    }
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.headers(SECURITY_HEADERS);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
