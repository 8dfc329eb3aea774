// Public surface of @casebook/cache: named exports of what other workspaces use; add a name when one needs it.
export { ratiosOf } from './cache-metrics';
export { CorruptEntryError, decodeEnvelope, decodeHeader, encodeEnvelope } from './envelope';
export type { EntryMeta } from './envelope';
export { CacheKeys } from './keys';
export { L2Unavailable } from './redis-tier';
export { hashOf, stableStringify } from './stable-json';
export { TieredCache } from './tiered-cache';
export type { CacheResult, EntryInfo, EntryOptions, LoaderContext, TieredCacheOptions } from './types';
export { shouldRefreshEarly } from './xfetch';
