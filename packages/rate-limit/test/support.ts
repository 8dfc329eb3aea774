import { randomBytes, randomUUID } from 'node:crypto';
import { createLogger, createRedis, type DestinationStream, Metrics } from '@casebook/platform';
import { deleteKeysWithPrefix, TEST_REDIS_URL, testRedisPrefix } from '@casebook/testing';
import IORedis, { type Cluster, type Redis } from 'ioredis';
import { parseRateLimitOptions, RateLimiter, type RateLimitOptionsInput, type RedisClient } from '../src';

/**
 * Options with small, exact numbers: one tier unless a test adds more, no IP or global level unless asked, and a
 * key prefix of their own so tests never share a bucket (the global bucket especially).
 */
export function testOptions(overrides: Partial<RateLimitOptionsInput> = {}) {
  return parseRateLimitOptions({
    prefix: `t${randomBytes(4).toString('hex')}`,
    tiers: [{ name: 'analyst', rate: { limit: 37, windowSeconds: 3600 } }],
    defaultTier: 'analyst',
    ip: false,
    global: false,
    // Decisions must come from Redis in these tests; a loaded machine must not push them to the fallback.
    redisBudgetMs: 5_000,
    ...overrides,
  });
}

export const someUser = (roles: string[] = ['analyst']) => ({ kind: 'user', id: randomUUID(), roles });

/**
 * Limiters and their clients for one test file, under a private key prefix (cleaned up on the shared Redis after
 * the file). Each limiter gets its own client, as each app instance has its own connection.
 */
export function useLimiters() {
  const prefix = testRedisPrefix();
  const clients: (Redis | Cluster)[] = [];

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
    await deleteKeysWithPrefix(prefix);
  });

  const track = <C extends Redis | Cluster>(client: C): C => {
    clients.push(client);
    return client;
  };
  const client = (url = TEST_REDIS_URL): Redis =>
    track(createRedis({ url, keyPrefix: prefix, connectionName: 'rate-limit-test' }));

  return {
    prefix,
    track,
    client,
    /** A client that queues until connected, for the test's own reads. */
    reader: (url = TEST_REDIS_URL) => track(new IORedis(url, { keyPrefix: prefix })),
    /** A limiter whose client is connected: the first check of a test must not race the connection. */
    async limiter(
      options: ReturnType<typeof testOptions>,
      extra: { redis?: RedisClient; clock?: () => number; logs?: DestinationStream; metrics?: Metrics } = {},
    ) {
      const redis = extra.redis ?? client();
      if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
      return new RateLimiter({
        redis,
        options,
        clock: extra.clock,
        metrics: extra.metrics ?? new Metrics('rate-limit-test', { defaultMetrics: false }),
        logger: extra.logs
          ? createLogger({ service: 'rate-limit-test', level: 'info', destination: extra.logs })
          : undefined,
      });
    },
  };
}

/** Sum of a counter's samples that match `labels`. */
export async function counterValue(metrics: Metrics, name: string, labels: Record<string, string>): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter((value) => Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected))
    .reduce((sum, value) => sum + value.value, 0);
}

/** Fires all requests at once and counts the admitted ones. */
export async function admittedOf(decisions: Promise<{ allowed: boolean; backend: string }>[]) {
  const results = await Promise.all(decisions);
  return {
    admitted: results.filter((result) => result.allowed).length,
    backends: new Set(results.map((result) => result.backend)),
  };
}
