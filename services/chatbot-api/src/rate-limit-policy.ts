import { DEFAULT_ROUTE, type RateLimitOptionsInput } from '@casebook/rate-limit';

/**
 * The chatbot's rate-limit policy in code (the environment may override tiers and rates, see
 * `rateLimitOptionsFromEnv`): units per minute by tier, named after the chatbot's roles (Q5.2); an LLM
 * message costs 10 units and holds an in-flight slot, a list call costs 1, login attempts have their own
 * small bucket.
 */
export const CHATBOT_RATE_LIMITS: RateLimitOptionsInput = {
  tiers: [
    { name: 'admin', rate: { limit: 1200, windowSeconds: 60, burst: 200 }, concurrency: 8 },
    {
      name: 'senior_analyst',
      rate: { limit: 600, windowSeconds: 60, burst: 120 },
      aggregate: { limit: 60_000, windowSeconds: 60 },
      concurrency: 4,
    },
    {
      name: 'analyst',
      rate: { limit: 300, windowSeconds: 60, burst: 60 },
      aggregate: { limit: 60_000, windowSeconds: 60 },
      concurrency: 3,
    },
    {
      name: 'guest',
      rate: { limit: 60, windowSeconds: 60, burst: 20 },
      aggregate: { limit: 6_000, windowSeconds: 60 },
      concurrency: 1,
    },
  ],
  defaultTier: 'guest',
  // Generous: an enterprise behind one NAT address is many analysts. The IP level matters for anonymous routes
  // (login has its own, small one); signed-in callers are held by their own level.
  ip: { limit: 6_000, windowSeconds: 60, burst: 1_000 },
  global: { limit: 5_000, windowSeconds: 1 },
  routes: {
    [DEFAULT_ROUTE]: { cost: 1 },
    'chat:send': { cost: 10, concurrency: true },
    list: { cost: 1 },
    'auth:login': {
      bucket: 'login',
      user: { limit: 10, windowSeconds: 300, burst: 5 },
      ip: { limit: 30, windowSeconds: 60, burst: 10 },
      role: false,
    },
  },
};
