export { TieredCache } from './tiered-cache';
export { CacheAdmin } from './cache-admin';
export type {
  CacheOutcome,
  CacheResult,
  EntryInfo,
  EntryOptions,
  Loader,
  LoaderContext,
  TieredCacheOptions,
} from './types';
export { CacheKeys } from './keys';
export { stableStringify, hashOf } from './stable-json';
export { encodeEnvelope, decodeEnvelope, decodeHeader, CorruptEntryError } from './envelope';
export type { Envelope, EntryMeta, Codec } from './envelope';
export { shouldRefreshEarly } from './xfetch';
export { L2Unavailable } from './redis-tier';
export type { RedisClient } from './redis-tier';
export { ratiosOf, EMPTY_STATS } from './cache-metrics';
export type { CacheStatsSnapshot, MissReason, StaleReason } from './cache-metrics';
