/** Route options that rate-limit ceremony endpoints per client IP (in-process counters, per instance). */
import type { RouteShorthandOptions } from 'fastify';

export interface RateLimitSetting {
  max: number;
  timeWindowMs: number;
}

export function ceremonyLimit(setting: RateLimitSetting | false): RouteShorthandOptions {
  return setting === false
    ? {}
    : { config: { rateLimit: { max: setting.max, timeWindow: setting.timeWindowMs } } };
}
