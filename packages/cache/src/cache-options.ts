import type { BreakerOptions } from '@casebook/platform';
import { newInstanceId } from './redis-tier';
import type { TieredCacheOptions } from './types';

const DEFAULTS = {
  l1: { maxBytes: 64 * 1024 * 1024, ttlMs: 5_000 },
  l2BudgetMs: 50,
  breaker: { failureThreshold: 5, openMs: 5_000 },
  compressAboveBytes: 1_024,
  maxEntryBytes: 1024 * 1024,
  leaseTtlMs: 10_000,
  xfetchBeta: 1,
  statsFlushMs: 10_000,
};

/** Every option of a cache with its default applied, worked out once. */
export interface ResolvedOptions {
  name: string;
  instanceId: string;
  clock: () => number;
  random: () => number;
  l1: { maxBytes: number; ttlMs: number } | false;
  /** How long a tag time read from Redis is trusted: as long as an L1 entry (the same bound on a missed bus message). */
  tagTrustMs: number;
  l2BudgetMs: number;
  /** A write may take longer than a read budget (large payloads); it is off the request path anyway. */
  l2WriteBudgetMs: number;
  breaker: BreakerOptions;
  /** The key prefix the Redis client adds; ioredis does not add it to channels and SCAN patterns. */
  redisKeyPrefix: string;
  compressAboveBytes: number;
  maxEntryBytes: number;
  leaseTtlMs: number;
  leaseWaitMs: number;
  xfetchBeta: number;
  statsFlushMs: number;
  indexTags: boolean;
}

export function resolveOptions(init: TieredCacheOptions): ResolvedOptions {
  const l1 = init.l1 === undefined ? DEFAULTS.l1 : init.l1;
  const leaseTtlMs = init.leaseTtlMs ?? DEFAULTS.leaseTtlMs;
  const l2BudgetMs = init.l2BudgetMs ?? DEFAULTS.l2BudgetMs;
  return {
    name: init.name,
    instanceId: init.instanceId ?? newInstanceId(),
    clock: init.clock ?? Date.now,
    random: init.random ?? Math.random,
    l1,
    tagTrustMs: l1 === false ? DEFAULTS.l1.ttlMs : l1.ttlMs,
    l2BudgetMs,
    l2WriteBudgetMs: Math.max(250, l2BudgetMs) * 4,
    breaker: init.breaker ?? DEFAULTS.breaker,
    redisKeyPrefix:
      init.redisKeyPrefix ??
      String((init.redis as { options?: { keyPrefix?: string } } | null)?.options?.keyPrefix ?? ''),
    compressAboveBytes: init.compressAboveBytes ?? DEFAULTS.compressAboveBytes,
    maxEntryBytes: init.maxEntryBytes ?? DEFAULTS.maxEntryBytes,
    leaseTtlMs,
    leaseWaitMs: init.leaseWaitMs ?? leaseTtlMs + 5_000,
    xfetchBeta: init.xfetchBeta ?? DEFAULTS.xfetchBeta,
    statsFlushMs: init.statsFlushMs ?? DEFAULTS.statsFlushMs,
    indexTags: init.indexTags ?? true,
  };
}
