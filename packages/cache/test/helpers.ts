import { createRedis } from '@casebook/platform';
import { deleteKeysWithPrefix, TEST_REDIS_URL, testRedisPrefix, waitFor } from '@casebook/testing';
import type Redis from 'ioredis';
import { TieredCache, type TieredCacheOptions } from '../src';

/** A controllable clock: tests move time instead of sleeping. */
export function fakeClock(start = Date.UTC(2024, 0, 1)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

export async function connectedRedis(url: string, keyPrefix: string): Promise<Redis> {
  const redis = createRedis({ url, keyPrefix, connectionName: 'cache-test' });
  // Outage tests stop Redis on purpose; the engine reports failures through its own paths.
  redis.on('error', () => undefined);
  await waitFor(() => redis.status === 'ready', { timeoutMs: 10_000, message: 'redis not ready' });
  return redis;
}

/**
 * Several engines sharing one Redis prefix, as several service instances share one Redis. Each has its own
 * connection, L1 and bus subscription; everything is closed and the prefix emptied after the file.
 */
export function useCacheFleet(url: string | (() => string) = TEST_REDIS_URL) {
  const urlOf = (): string => (typeof url === 'function' ? url() : url);
  const prefix = testRedisPrefix();
  const created: { cache: TieredCache; redis: Redis }[] = [];

  afterEach(async () => {
    await Promise.all(
      created.splice(0).map(async ({ cache, redis }) => {
        await cache.close();
        redis.disconnect();
      }),
    );
  });
  afterAll(() => deleteKeysWithPrefix(prefix, urlOf()).catch(() => 0));

  return {
    prefix,
    async instance(options: Partial<TieredCacheOptions> = {}): Promise<TieredCache> {
      const redis = await connectedRedis(urlOf(), prefix);
      const cache = new TieredCache({
        name: 'test',
        redis,
        statsFlushMs: 0,
        // Generous: two Jest workers and other engineers share two cores; a blown budget would turn a
        // slow test machine into an L2 outage.
        l2BudgetMs: 2_000,
        ...options,
      });
      await cache.start();
      created.push({ cache, redis });
      return cache;
    },
    async raw(): Promise<Redis> {
      const redis = await connectedRedis(urlOf(), prefix);
      created.push({ cache: new TieredCache({ name: 'noop', redis: null }), redis });
      return redis;
    },
  };
}

/** A loader that counts its runs and can be made to fail or to wait. */
export function countingLoader<T>(value: (n: number) => T) {
  let runs = 0;
  let failing: Error | null = null;
  let gate: Promise<void> | null = null;
  const loader = async (): Promise<T> => {
    runs += 1;
    const n = runs;
    if (gate) await gate;
    if (failing) throw failing;
    return value(n);
  };
  // A getter, not a copied value: Object.assign would freeze `runs` at 0.
  Object.defineProperty(loader, 'runs', { get: () => runs });
  return Object.assign(loader as typeof loader & { readonly runs: number }, {
    fail(error: Error | null) {
      failing = error;
    },
    /** Holds every run until the returned function is called. */
    hold(): () => void {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return () => {
        gate = null;
        open();
      };
    },
  });
}
