import { z } from 'zod';
import { parseRateLimitOptions, type RateLimitOptions, type RateLimitOptionsInput, type RateSpec } from './options';

const RATE = /^(\d+)\/(\d+)s?(?::(\d+))?$/;

/** `300/60:60` → 300 units per 60 s, burst 60 (`300/60s` also accepted). */
export function parseRate(text: string): RateSpec {
  const match = RATE.exec(text.trim());
  if (!match) throw new Error(`'${text}' is not a rate (limit/windowSeconds[:burst], e.g. 300/60:60)`);
  return {
    limit: Number(match[1]),
    windowSeconds: Number(match[2]),
    ...(match[3] ? { burst: Number(match[3]) } : {}),
  };
}

const rateOrOff = z
  .string()
  .refine((value) => value === 'off' || RATE.test(value), 'expected limit/windowSeconds[:burst] or off')
  .transform((value) => (value === 'off' ? (false as const) : parseRate(value)))
  .optional();

/** `admin=1200/60:200,guest=60/60:20`, highest tier first. */
const tiersText = z
  .string()
  .transform((value, ctx) => {
    const tiers: { name: string; rate: RateSpec }[] = [];
    for (const item of value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const [name, rate] = item.split('=');
      if (!name || !rate || !RATE.test(rate)) {
        ctx.addIssue({ code: 'custom', message: `'${item}' is not name=limit/windowSeconds[:burst]` });
        return z.NEVER;
      }
      tiers.push({ name: name.trim(), rate: parseRate(rate) });
    }
    return tiers;
  })
  .optional();

const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/**
 * Deployment settings a service reads from its environment (extend the service's config schema with
 * `.extend(rateLimitEnvShape)`). The product policy — routes and their costs — stays in code.
 */
export const rateLimitEnvShape = {
  /** Instances behind the load balancer: the in-memory fallback gives each limit ÷ this. */
  RATE_LIMIT_INSTANCES: z.coerce.number().int().min(1).default(1),
  /** Hash-tag shards (1 on a single Redis; several per master on Redis Cluster). */
  RATE_LIMIT_SHARDS: z.coerce.number().int().min(1).max(1024).default(1),
  RATE_LIMIT_TRUSTED_PROXIES: list,
  RATE_LIMIT_REDIS_BUDGET_MS: z.coerce.number().int().min(1).default(50),
  /** Tier rates, highest first, e.g. `admin=1200/60:200,senior_analyst=600/60:120,analyst=300/60:60,guest=60/60:20`. */
  RATE_LIMIT_TIERS: tiersText,
  RATE_LIMIT_IP: rateOrOff,
  RATE_LIMIT_GLOBAL: rateOrOff,
  RATE_LIMIT_DEFAULT_TIER: z.string().optional(),
};

export type RateLimitEnv = z.infer<z.ZodObject<typeof rateLimitEnvShape>>;

/**
 * Options from the validated environment over `base` (the service's policy in code). Tiers named in
 * `RATE_LIMIT_TIERS` keep their aggregate and concurrency from `base` when it has a tier of that name.
 */
export function rateLimitOptionsFromEnv(env: RateLimitEnv, base: RateLimitOptionsInput): RateLimitOptions {
  const tiers = env.RATE_LIMIT_TIERS
    ? env.RATE_LIMIT_TIERS.map((tier) => ({ ...base.tiers.find((t) => t.name === tier.name), ...tier }))
    : base.tiers;
  return parseRateLimitOptions({
    ...base,
    tiers,
    defaultTier: env.RATE_LIMIT_DEFAULT_TIER ?? base.defaultTier,
    ip: env.RATE_LIMIT_IP ?? base.ip,
    global: env.RATE_LIMIT_GLOBAL ?? base.global,
    instances: env.RATE_LIMIT_INSTANCES,
    shards: env.RATE_LIMIT_SHARDS,
    trustedProxies: env.RATE_LIMIT_TRUSTED_PROXIES,
    redisBudgetMs: env.RATE_LIMIT_REDIS_BUDGET_MS,
  });
}
