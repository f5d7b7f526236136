/**
 * Per-client-IP rate limits (in-process counters, per instance). Each limit is one budget shared by all the routes
 * given its options: @fastify/rate-limit keeps a separate store per route configured with `config.rateLimit` (so
 * a `groupId` would not merge their counters), so the budget is one limiter made once and run as the routes'
 * `onRequest` hook, before the body is read.
 */
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import { ApiError } from '../api-error';

export interface RateLimitSetting {
  max: number;
  timeWindowMs: number;
}

/**
 * One per-IP budget for every route registered with the returned options; `what` names those routes in the 429
 * message. The client's IP is the connection's: the server does not trust X-Forwarded-For (trustProxy is off).
 */
export function sharedLimit(
  app: FastifyInstance,
  setting: RateLimitSetting | false,
  what: string,
): RouteShorthandOptions {
  if (setting === false) return {};
  return {
    onRequest: app.rateLimit({
      max: setting.max,
      timeWindow: setting.timeWindowMs,
      errorResponseBuilder: (_request, context) =>
        new ApiError(
          429,
          'RATE_LIMITED',
          `too many requests from this IP: ${what} allow ${context.max} together per ${Math.round(setting.timeWindowMs / 1000)} s; retry in ${context.after}`,
        ),
    }),
  };
}
