import type { CacheResult, CacheOutcome, EntryOptions, State } from './types';
import type { CachedEntry } from './memory-tier';

/**
 * How an entry stands for a reader (Q12.1, Q12.2): invalidated by a tag stamped at or after its `asOf`,
 * outdated when its data version is below what the reader requires, else fresh, in grace
 * (stale-while-revalidate), stale (only for stale-if-error) or expired — by age against its own TTLs.
 */
export function classify(entry: CachedEntry, now: number, options: EntryOptions, invalidatedAt: number): State {
  // Q12.2: lazy tag invalidation — compared on read, so there is nothing to delete and nothing to half-do.
  if (invalidatedAt >= entry.asOf && entry.tags.length > 0) return { kind: 'dead', reason: 'invalidated' };
  const age = now - entry.createdAt;
  const wanted = options.dataVersion;
  if (wanted != null && (entry.dataVersion == null || entry.dataVersion < wanted)) {
    return age < entry.ttl + entry.staleIfError ? { kind: 'outdated' } : { kind: 'dead', reason: 'expired' };
  }
  if (age < entry.ttl) return { kind: 'fresh' };
  if (age < entry.ttl + entry.grace) return { kind: 'grace' };
  if (age < entry.ttl + entry.staleIfError) return { kind: 'stale' };
  return { kind: 'dead', reason: 'expired' };
}

export function withinStaleIfError(entry: CachedEntry, now: number): boolean {
  return now - entry.createdAt < entry.ttl + entry.staleIfError;
}

/** How long an entry may still be used at all, from `now`. */
export function lifetimeOf(entry: CachedEntry, now: number): number {
  return entry.createdAt + entry.ttl + Math.max(entry.grace, entry.staleIfError) - now;
}

export function toResult<T>(
  entry: CachedEntry<T>,
  outcome: CacheOutcome,
  source: CacheResult<T>['source'],
  now: number,
  extra: Partial<Pick<CacheResult<T>, 'collapsed' | 'staleReason' | 'missReason' | 'stored' | 'notes'>>,
): CacheResult<T> {
  const age = Math.max(0, now - entry.createdAt);
  return {
    value: entry.value,
    outcome,
    source,
    collapsed: extra.collapsed ?? false,
    staleReason: extra.staleReason,
    missReason: extra.missReason,
    stored: extra.stored ?? true,
    ageMs: age,
    ttlMs: entry.ttl - age,
    dataVersion: entry.dataVersion,
    createdAt: entry.createdAt,
    cost: entry.cost,
    notes: extra.notes ?? {},
  };
}
