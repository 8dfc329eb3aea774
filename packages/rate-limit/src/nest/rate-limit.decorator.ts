import { SetMetadata } from '@nestjs/common';

export const RATE_LIMIT_KEY = 'casebook:rate-limit';

export interface RateLimitMetadata {
  /** Route policy name from the options' `routes`. */
  policy: string;
  /** Units one call consumes, overriding the policy's cost. */
  cost?: number;
}

/**
 * Limits a route (or a controller) by a named policy: `@RateLimit('chat:send')`. Routes without it are limited by
 * the `default` policy, since the guard is global.
 */
export const RateLimit = (policy: string, options: { cost?: number } = {}) =>
  SetMetadata(RATE_LIMIT_KEY, { policy, ...options } satisfies RateLimitMetadata);

/** Takes a route out of rate limiting altogether (callbacks from trusted systems, internal probes). */
export const SkipRateLimit = () => SetMetadata(RATE_LIMIT_KEY, false);
