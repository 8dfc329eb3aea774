import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit, type Provider } from '@nestjs/common';
import { TieredCache } from '@casebook/cache';
import { CONFIG, type Logger, LOGGER, Metrics } from '@casebook/platform';
import Redis from 'ioredis';
import type { QueryConfig } from '../config';

/** The query-service instance of the cache engine (Q19.3): L1 in this process, L2 in the service's Redis. */
export const queryCacheProvider: Provider = {
  provide: TieredCache,
  inject: [CONFIG, Redis, Metrics, LOGGER],
  useFactory: (config: QueryConfig, redis: Redis, metrics: Metrics, logger: Logger) =>
    new TieredCache({
      name: 'query',
      redis,
      redisKeyPrefix: config.REDIS_KEY_PREFIX,
      l1:
        config.QUERY_CACHE_L1_BYTES > 0
          ? { maxBytes: config.QUERY_CACHE_L1_BYTES, ttlMs: config.QUERY_CACHE_L1_TTL_MS }
          : false,
      l2BudgetMs: config.QUERY_CACHE_L2_BUDGET_MS,
      maxEntryBytes: config.QUERY_CACHE_MAX_ENTRY_BYTES,
      compressAboveBytes: config.QUERY_CACHE_COMPRESS_ABOVE_BYTES,
      leaseTtlMs: config.QUERY_CACHE_LEASE_TTL_MS,
      xfetchBeta: config.QUERY_CACHE_XFETCH_BETA,
      metrics,
      logger,
    }),
};

/** Subscribes the coherency bus at start; flushes stats and unsubscribes at shutdown. */
@Injectable()
export class QueryCacheLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(TieredCache) private readonly cache: TieredCache) {}

  async onModuleInit(): Promise<void> {
    await this.cache.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.cache.close();
  }
}
