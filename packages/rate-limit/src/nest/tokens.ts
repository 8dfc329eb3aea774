/** The validated `RateLimitOptions` of the app. */
export const RATE_LIMIT_OPTIONS = Symbol('RATE_LIMIT_OPTIONS');
