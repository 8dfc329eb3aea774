import { randomBytes } from 'node:crypto';
import { Metrics } from '@casebook/platform';
import { parseRateLimitOptions, RateLimiter, type RateLimitOptionsInput } from '@casebook/rate-limit';
import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterUnion } from 'rate-limiter-flexible';
import type { Comparison, FunctionContender, PreparedFunction } from '../harness/types';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
/** Loops calling each contender back to back, like concurrent requests on one app instance. */
const CONCURRENCY = 32;
/** Distinct users and IPs the calls rotate over, so no contender benefits from one hot key. */
const USERS = 10_000;
const IPS = 1_000;
/** Limits far above what a run can reach: every call is admitted, the bench measures the cost of deciding. */
const HUGE = 1_000_000_000;

/** Same client settings for every contender: a fail-fast client as `createRedis` builds for the services. */
async function connect(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectionName: 'bench-rate-limit',
  });
  await redis.connect();
  return redis;
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

function rotation() {
  let i = 0;
  return () => {
    i = (i + 1) % USERS;
    return { user: String(i), ip: `10.0.${(i % IPS) >> 8}.${(i % IPS) & 255}` };
  };
}

function casebook(levels: 1 | 4): FunctionContender {
  return {
    kind: 'function',
    name: `casebook-${levels}`,
    label:
      levels === 4
        ? 'casebook: user + IP + role + global, one Lua call (GCRA)'
        : 'casebook: user level only, one Lua call (GCRA)',
    concurrency: CONCURRENCY,
    prepare: async (): Promise<PreparedFunction> => {
      const redis = await connect();
      const prefix = `benchrl${randomBytes(4).toString('hex')}`;
      const rate = { limit: HUGE, windowSeconds: 60 };
      const input: RateLimitOptionsInput = {
        prefix,
        tiers: [{ name: 'analyst', rate, ...(levels === 4 ? { aggregate: rate } : {}) }],
        defaultTier: 'analyst',
        ip: levels === 4 ? rate : false,
        global: levels === 4 ? rate : false,
        // The bench measures the Redis path: a generous budget keeps a stall of the shared machine from moving
        // calls to the in-memory fallback (which would be counted, faster, and reported as errors below).
        redisBudgetMs: 1_000,
      };
      // With its metrics, as the guard runs it in a service.
      const metrics = new Metrics('bench', { defaultMetrics: false });
      const limiter = new RateLimiter({ redis, options: parseRateLimitOptions(input), metrics });
      const next = rotation();
      return {
        call: async () => {
          const { user, ip } = next();
          const decision = await limiter.check({ subject: { kind: 'user', id: user, roles: ['analyst'] }, ip });
          if (decision.backend !== 'redis') throw new Error('decided in memory: Redis was slower than the budget');
          if (!decision.allowed) throw new Error('rejected');
        },
        dispose: () => deleteKeys(redis, `${prefix}:*`),
      };
    },
  };
}

function flexible(levels: 1 | 4): FunctionContender {
  return {
    kind: 'function',
    name: levels === 4 ? 'rlf-union-4' : 'rlf-redis-1',
    label:
      levels === 4
        ? 'rate-limiter-flexible RateLimiterUnion of 4 RateLimiterRedis'
        : 'rate-limiter-flexible RateLimiterRedis (1 level)',
    concurrency: CONCURRENCY,
    prepare: async (): Promise<PreparedFunction> => {
      const redis = await connect();
      const prefix = `benchrlf${randomBytes(4).toString('hex')}`;
      const limiter = (name: string) =>
        new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}-${name}`, points: HUGE, duration: 60 });
      const next = rotation();
      let consume: (key: string) => Promise<unknown>;
      if (levels === 4) {
        // The union consumes one key on each limiter; its limiters are the four levels.
        const union = new RateLimiterUnion(limiter('user'), limiter('ip'), limiter('role'), limiter('global'));
        consume = (key) => union.consume(key);
      } else {
        const single = limiter('user');
        consume = (key) => single.consume(key);
      }
      return {
        call: async () => {
          await consume(next().user);
        },
        dispose: () => deleteKeys(redis, `${prefix}-*`),
      };
    },
  };
}

/**
 * Cost of one rate-limit decision against the same Redis in the same run: our four-level atomic check against
 * rate-limiter-flexible's single Redis limiter and its four-limiter union.
 */
export function rateLimitComparison(): Comparison {
  return {
    name: 'rate-limit',
    title: 'Rate limiter: casebook 4-level atomic check vs rate-limiter-flexible',
    description:
      `In-process calls, ${CONCURRENCY} concurrent loops per contender, every call admitted, ${USERS} users rotating, ` +
      `Redis at ${REDIS_URL.replace(/\/\/[^@]*@/, '//')}; the ratio column divides by rate-limiter-flexible's 1-level limiter.`,
    reference: 'rlf-redis-1',
    contenders: [casebook(4), flexible(1), flexible(4), casebook(1)],
  };
}
