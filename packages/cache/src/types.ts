import type { BreakerOptions, Logger, Metrics } from '@casebook/platform';
import type { MissReason, StaleReason } from './cache-metrics';
import type { EntryMeta } from './envelope';
import type { RedisClient } from './redis-tier';

export interface TieredCacheOptions {
  /** Names the keys (`<name>:{<key>}`), the bus channel and the metric label. */
  name: string;
  /** L2. Without it the cache is L1-only, with in-process single-flight only. */
  redis?: RedisClient | null;
  /**
   * The `keyPrefix` the Redis client adds to keys. ioredis does not add it to pub/sub channels or SCAN
   * patterns, so the cache adds it there itself (tests share one Redis with a prefix per file).
   */
  redisKeyPrefix?: string;
  /** Connection for the coherency bus; by default a duplicate of `redis`. `false`: no bus. */
  subscriber?: RedisClient | false;
  /** L1 budget; `false` disables L1. Default 64 MiB, 5 s. */
  l1?: { maxBytes: number; ttlMs: number } | false;
  /** Q18.2: how long a request may wait for Redis (default 50 ms) and when to stop asking it. */
  l2BudgetMs?: number;
  breaker?: BreakerOptions;
  /** Q19.2: payloads above this size are gzip-compressed (default 1 KiB). */
  compressAboveBytes?: number;
  /** Q18.4: encoded entries above this size are not stored (default 1 MiB). */
  maxEntryBytes?: number;
  /** Q13.3: cross-instance lease lifetime; renewed while the loader runs (default 10 s). */
  leaseTtlMs?: number;
  /** How long a miss waits for another instance's load before loading itself (default leaseTtlMs + 5 s). */
  leaseWaitMs?: number;
  /** XFetch β; 0 disables early refresh (default 1). */
  xfetchBeta?: number;
  /** Maintain the advisory tag → keys index for the admin view and dry runs (default true). */
  indexTags?: boolean;
  /** How often local counts are added to the fleet-wide stats hash (default 10 s; 0 = only on demand). */
  statsFlushMs?: number;
  metrics?: Metrics;
  logger?: Pick<Logger, 'warn' | 'error' | 'debug'>;
  clock?: () => number;
  random?: () => number;
  instanceId?: string;
}

export interface EntryOptions {
  /** Logical freshness. */
  ttlMs: number;
  /** Stale-while-revalidate window after `ttlMs` (default 0). */
  graceMs?: number;
  /** Stale-if-error window after `ttlMs` (default: `graceMs`). */
  staleIfErrorMs?: number;
  tags?: string[];
  /**
   * Current version of the data the value derives from. An entry computed from an older version is
   * never served fresh; it is kept only as a stale-if-error fallback (Q12.1, Q15.2).
   */
  dataVersion?: number | null;
  /**
   * The version recorded in a newly computed entry (default `dataVersion`). A caller that requires only
   * the version of the last change touching an entry's range passes the dataset's current version here.
   */
  stampVersion?: number | null;
  /** Keep out of L1 (default true: use L1). */
  l1?: boolean;
  /** `false`: compute and answer, but store nothing (an admission decision, Q14). */
  store?: boolean;
}

export interface LoaderContext {
  /** Redis time taken before the loader started; entries computed from this load carry it. */
  asOf: number;
  /** Attach facts about the load to the result (e.g. how much of it was assembled from other entries). */
  note(facts: Record<string, unknown>): void;
}

export type Loader<T> = (context: LoaderContext) => Promise<T>;

export type CacheOutcome = 'hit' | 'stale' | 'miss';

export interface CacheResult<T> {
  value: T;
  outcome: CacheOutcome;
  /** Where the value came from: a tier, this caller's load, or another instance's load it waited for. */
  source: 'l1' | 'l2' | 'loader' | 'peer';
  /** Shared another caller's load in this process or waited for another instance's (a stampede collapse). */
  collapsed: boolean;
  staleReason?: StaleReason;
  missReason?: MissReason;
  /** For loads: whether the value was stored (false when oversize or not admitted). */
  stored: boolean;
  ageMs: number;
  /** Freshness left (ms); negative when stale. */
  ttlMs: number;
  dataVersion: number | null;
  createdAt: number;
  /** What computing it cost (ms). */
  cost: number;
  notes: Record<string, unknown>;
}

export interface EntryInfo extends Omit<EntryMeta, 'tags'> {
  key: string;
  tags: string[];
  bytes: number;
  codec: string;
  state: 'fresh' | 'grace' | 'stale' | 'expired' | 'invalidated';
  /** Milliseconds until Redis drops it. */
  expiresInMs: number;
}

/** How an entry stands for a reader with given options. */
export type State =
  { kind: 'fresh' | 'grace' | 'stale' } | { kind: 'outdated' } | { kind: 'dead'; reason: 'expired' | 'invalidated' };
