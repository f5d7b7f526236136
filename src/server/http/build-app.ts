/** Assembles the Fastify instance: limits, parsers, headers, errors and every route. */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { ServerContext } from '../context';
import { registerAccountRoutes } from '../routes/account';
import { registerCeremonyRoutes } from '../routes/ceremonies';
import { registerDesktopRoutes } from '../routes/desktop';
import { registerDiscoveryRoutes } from '../routes/discovery';
import type { RateLimitSetting } from '../routes/limits';
import { sharedLimit } from '../routes/limits';
import { registerPageRoutes } from '../routes/pages';
import { clientErrorHandler, frameworkErrors, installErrorHandling } from './error-handler';
import { installSecurityHeaders } from './security-headers';

export interface AppOptions {
  /** Largest accepted body in bytes. A WebAuthn response is a few KB. */
  bodyLimit: number;
  /** One per-IP budget for the ceremony and desktop login routes together. */
  rateLimit: RateLimitSetting | false;
  /** One per-IP budget for the management API (/api/account/*). */
  accountRateLimit: RateLimitSetting | false;
  logger: boolean;
}

export async function buildApp(ctx: ServerContext, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger,
    bodyLimit: options.bodyLimit,
    // The client IP (rate limits) is the connection's; X-Forwarded-For is not trusted (docs/server-api.md).
    trustProxy: false,
    return503OnClosing: true,
    // Credential IDs (up to 1,023 bytes, 1,364 base64url characters) are path parameters; the default is 100.
    routerOptions: { maxParamLength: 1400 },
    // A malformed URL or HTTP request gets the same { code, message } as every other error.
    frameworkErrors,
    clientErrorHandler,
  });
  // No text/plain: a cross-site form or "simple" fetch cannot reach a handler with a body it could parse.
  app.removeContentTypeParser('text/plain');
  // Form bodies (also a "simple" type) are parsed only on the desktop token endpoint (routes/desktop.ts).
  await app.register(rateLimit, { global: false });
  installErrorHandling(app);
  installSecurityHeaders(app, ctx);
  registerDiscoveryRoutes(app, ctx);
  const ceremonyLimit = sharedLimit(app, options.rateLimit, 'the ceremony and desktop login endpoints');
  registerCeremonyRoutes(app, ctx, ceremonyLimit);
  registerAccountRoutes(app, ctx, sharedLimit(app, options.accountRateLimit, 'the /api/account endpoints'));
  registerDesktopRoutes(app, ctx, ceremonyLimit);
  registerPageRoutes(app);
  return app;
}
