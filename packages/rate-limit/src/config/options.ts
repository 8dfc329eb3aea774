import { z } from 'zod';

/**
 * A sustained rate with a burst allowance: `limit` units per `windowSeconds`, at most `burst` of them at once
 * (GCRA: one unit comes back every `windowSeconds / limit`, continuously, never all at a window boundary).
 */
export const rateSchema = z
  .object({
    limit: z.number().int().positive(),
    windowSeconds: z.number().int().positive(),
    /** Units admitted back to back from a full bucket; defaults to `limit`. */
    burst: z.number().int().positive().optional(),
  })
  .refine((rate) => rate.burst === undefined || rate.burst <= rate.limit, {
    message: 'burst must not exceed limit (use a longer window for a larger burst)',
  });

export type RateSpec = z.infer<typeof rateSchema>;

export const tierSchema = z.object({
  /** Tier name; a principal with a role of this name gets this tier. */
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  /** Roles that map to this tier besides the one named like it. */
  roles: z.array(z.string().min(1)).default([]),
  /** Limit per principal of this tier (the `user` level). */
  rate: rateSchema,
  /** Limit for all principals of this tier together (the `role` level); none when omitted. */
  aggregate: rateSchema.optional(),
  /** In-flight requests per principal on routes that ask for a concurrency limit. */
  concurrency: z.number().int().positive().default(1),
});

export type TierOptions = z.infer<typeof tierSchema>;

export const routePolicySchema = z.object({
  /** Units one request consumes from every level (an LLM message costs more than a list call). */
  cost: z.number().int().min(0).default(1),
  /** Quota namespace: routes in one bucket share their quotas. */
  bucket: z
    .string()
    .regex(/^[a-z][a-z0-9_.-]*$/)
    .default('default'),
  /** The principal's own level: its tier's rate (`'tier'`), an explicit rate, or off. */
  user: z.union([z.literal('tier'), rateSchema, z.literal(false)]).default('tier'),
  /** Per client IP; `undefined` means the service-wide `ip` rate. */
  ip: z.union([rateSchema, z.literal(false)]).optional(),
  /** All principals of the tier together; on when the tier defines an aggregate. */
  role: z.boolean().default(true),
  /** The whole service; `undefined` means the service-wide `global` rate. */
  global: z.union([rateSchema, z.literal(false)]).optional(),
  /** Limit in-flight requests per principal: `true` uses the tier's concurrency, a number overrides it. */
  concurrency: z.union([z.boolean(), z.number().int().positive()]).default(false),
});

export type RoutePolicyInput = z.input<typeof routePolicySchema>;
export type RoutePolicy = z.infer<typeof routePolicySchema>;

export const rateLimitOptionsSchema = z
  .object({
    /** First part of every key, before the hash tag; the Nest module defaults it to `rl.<service>`. */
    prefix: z
      .string()
      .regex(/^[a-z][a-z0-9_.-]*$/)
      .default('rl'),
    /**
     * Hash-tag shards. 1 on a single Redis: every level is exact. On Redis Cluster a few per master, so that
     * requests spread over the masters; the role and global levels are then split across shards (ADR 0006).
     */
    shards: z.number().int().min(1).max(1024).default(1),
    /** Highest first: a principal with several roles gets the first tier any of them maps to (Q5.2). */
    tiers: z.array(tierSchema).min(1),
    /** Tier of a principal none of whose roles maps to a tier, and of anonymous callers. */
    defaultTier: z.string(),
    ip: z.union([rateSchema, z.literal(false)]),
    global: z.union([rateSchema, z.literal(false)]),
    routes: z.record(z.string().min(1), routePolicySchema).default({}),
    /** A lease on an in-flight slot expires after this, so a crashed instance cannot hold slots forever. */
    concurrencyLeaseMs: z.number().int().min(100).default(120_000),
    /** Instances sharing the limits: each gets limit ÷ instances while it runs on its in-memory fallback. */
    instances: z.number().int().min(1).default(1),
    /** A Redis decision slower than this counts as a failure; the request is decided in memory instead. */
    redisBudgetMs: z.number().int().min(1).default(50),
    /** Consecutive Redis failures that open the breaker. */
    breakerFailures: z.number().int().min(1).default(3),
    /** How long the breaker stays open before one request probes Redis again. */
    breakerCooldownMs: z.number().int().min(10).default(1_000),
    /** Addresses or CIDRs whose `X-Forwarded-For` is believed (the load balancers in front of the service). */
    trustedProxies: z.array(z.string().min(1)).default([]),
    /** IPv6 clients are limited per prefix of this length: one host usually owns a whole /64. */
    ipv6PrefixBits: z.number().int().min(16).max(128).default(64),
    /** Extra random seconds added to `Retry-After`, so rejected clients do not all come back together (Q5.3). */
    retryJitterSeconds: z.number().min(0).max(60).default(1),
    /** Path prefixes the global guard never limits (probes, metrics, docs). */
    excludePaths: z.array(z.string().startsWith('/')).default(['/health', '/metrics', '/docs']),
  })
  .superRefine((options, ctx) => {
    const names = options.tiers.map((tier) => tier.name);
    if (new Set(names).size !== names.length) {
      ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'tier names must be unique' });
    }
    if (!names.includes(options.defaultTier)) {
      ctx.addIssue({ code: 'custom', path: ['defaultTier'], message: `'${options.defaultTier}' is not a tier` });
    }
    // A sharded level gives each shard limit ÷ shards; below one unit a shard could never admit anything.
    const sharded: [string, RateSpec | false | undefined][] = [
      ['global', options.global],
      ...options.tiers.map((tier): [string, RateSpec | undefined] => [`tiers.${tier.name}.aggregate`, tier.aggregate]),
      ...Object.entries(options.routes).map(([name, route]): [string, RateSpec | false | undefined] => [
        `routes.${name}.global`,
        route.global,
      ]),
    ];
    for (const [path, rate] of sharded) {
      if (rate && Math.floor((rate.burst ?? rate.limit) / options.shards) < 1) {
        ctx.addIssue({ code: 'custom', path: [path], message: `burst must be at least shards (${options.shards})` });
      }
    }
    for (const [name, route] of Object.entries(options.routes)) {
      for (const [level, rate] of levelRatesOf(options, route)) {
        const capacity = Math.floor(
          (rate.burst ?? rate.limit) / (level === 'global' || level === 'role' ? options.shards : 1),
        );
        if (route.cost > capacity) {
          ctx.addIssue({
            code: 'custom',
            path: ['routes', name, 'cost'],
            message: `cost ${route.cost} exceeds the ${level} burst (${capacity}); the route could never be admitted`,
          });
        }
      }
    }
  });

export type RateLimitOptionsInput = z.input<typeof rateLimitOptionsSchema>;
export type RateLimitOptions = z.infer<typeof rateLimitOptionsSchema>;

/** The rates a route can apply, for validation: every tier's rate where the route uses the tier. */
function levelRatesOf(
  options: Pick<RateLimitOptions, 'tiers' | 'ip' | 'global'>,
  route: RoutePolicy,
): [string, RateSpec][] {
  const rates: [string, RateSpec][] = [];
  if (route.user === 'tier') for (const tier of options.tiers) rates.push(['user', tier.rate]);
  else if (route.user) rates.push(['user', route.user]);
  const ip = route.ip === undefined ? options.ip : route.ip;
  if (ip) rates.push(['ip', ip]);
  const global = route.global === undefined ? options.global : route.global;
  if (global) rates.push(['global', global]);
  if (route.role) for (const tier of options.tiers) if (tier.aggregate) rates.push(['role', tier.aggregate]);
  return rates;
}

export const DEFAULT_ROUTE = 'default';

/** Validates options once; fails listing every problem. */
export function parseRateLimitOptions(input: RateLimitOptionsInput): RateLimitOptions {
  const parsed = rateLimitOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`Invalid rate-limit options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return parsed.data;
}
