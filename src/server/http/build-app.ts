/** Assembles the Fastify instance: limits, parsers, headers, errors and every route. */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { ApiError } from '../api-error';
import type { ServerContext } from '../context';
import { registerAccountRoutes } from '../routes/account';
import { registerCeremonyRoutes } from '../routes/ceremonies';
import { registerDesktopRoutes } from '../routes/desktop';
import { registerDiscoveryRoutes } from '../routes/discovery';
import type { RateLimitSetting } from '../routes/limits';
import { registerPageRoutes } from '../routes/pages';
import { installErrorHandling } from './error-handler';
import { installSecurityHeaders } from './security-headers';

export interface AppOptions {
  /** Largest accepted body in bytes. A WebAuthn response is a few KB. */
  bodyLimit: number;
  rateLimit: RateLimitSetting | false;
  logger: boolean;
}

export async function buildApp(ctx: ServerContext, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger,
    bodyLimit: options.bodyLimit,
    trustProxy: false,
    return503OnClosing: true,
  });
  // No text/plain: a cross-site form or "simple" fetch cannot reach a handler with a body it could parse.
  app.removeContentTypeParser('text/plain');
  // OAuth token requests are form-encoded (RFC 6749 §4.1.3).
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        429,
        'RATE_LIMITED',
        `too many requests: the limit is ${context.max} per ${context.after}; retry later`,
      ),
  });
  installErrorHandling(app);
  installSecurityHeaders(app, ctx);
  registerDiscoveryRoutes(app, ctx);
  registerCeremonyRoutes(app, ctx, options.rateLimit);
  registerAccountRoutes(app, ctx);
  registerDesktopRoutes(app, ctx, options.rateLimit);
  registerPageRoutes(app);
  return app;
}
