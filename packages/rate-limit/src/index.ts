// Public surface of @casebook/rate-limit: the limiter core (usable without Nest), HTTP helpers, the Nest module.
export { rateLimitEnvShape, rateLimitOptionsFromEnv } from './config/env';
export { DEFAULT_ROUTE, parseRateLimitOptions } from './config/options';
export type { RateLimitOptionsInput } from './config/options';
export { Planner } from './core/planner';
export { RateLimiter } from './core/rate-limiter';
export type { RedisClient } from './core/scripts';
export { RateLimit, SkipRateLimit } from './nest/rate-limit.decorator';
export { RateLimitModule } from './nest/rate-limit.module';
