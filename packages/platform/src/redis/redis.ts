import Redis, { type RedisOptions } from 'ioredis';

export interface RedisInit {
  url: string;
  /** Prepended to every key this client touches; one per test file, empty in production. */
  keyPrefix?: string;
  connectionName: string;
  options?: RedisOptions;
}

/**
 * A client that fails fast instead of queueing when Redis is away: callers (cache, limiter, health)
 * each decide what to do without Redis, and nothing waits on a reconnect loop.
 */
export function createRedis({ url, keyPrefix, connectionName, options }: RedisInit): Redis {
  const redis = new Redis(url, {
    keyPrefix: keyPrefix || undefined,
    connectionName,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2_000),
    ...options,
  });
  // Connection errors surface as failed commands (each caller's fallback) and in readiness; without a
  // listener ioredis would also print every reconnect attempt as an unhandled error.
  redis.on('error', () => undefined);
  return redis;
}
