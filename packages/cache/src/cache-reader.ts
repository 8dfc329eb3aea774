import { bestEffort } from '@casebook/platform';
import type { CacheMetrics, MissReason } from './cache-metrics';
import { CorruptEntryError, decodeEnvelope } from './envelope';
import { classify, lifetimeOf } from './entry-state';
import { CacheKeys } from './keys';
import type { CachedEntry, MemoryTier } from './memory-tier';
import { L2Unavailable, type RedisTier } from './redis-tier';
import type { TagClock } from './tag-clock';
import type { EntryOptions, State, TieredCacheOptions } from './types';

export type Tier = 'l1' | 'l2';

/** What a lookup found: a value to serve now, or why there is none and the best value to fall back on. */
export type Lookup<T> =
  | { kind: 'fresh' | 'grace'; entry: CachedEntry<T>; tier: Tier }
  | { kind: 'miss'; reason: MissReason; fallback: { entry: CachedEntry<T>; tier: Tier } | undefined };

export interface ReaderDeps {
  name: string;
  l1: MemoryTier | null;
  l2: RedisTier | null;
  tagClock: TagClock;
  stats: CacheMetrics;
  clock: () => number;
  logger: TieredCacheOptions['logger'];
}

/**
 * The read side: L1, then L2 (verified envelopes; a damaged entry is deleted), each entry judged against
 * the reader's options and the tag clock. Reads never load; what to do on a miss is the facade's.
 */
export class CacheReader {
  constructor(private readonly deps: ReaderDeps) {}

  async lookup<T>(key: string, options: EntryOptions, now: number): Promise<Lookup<T>> {
    const { l1, l2 } = this.deps;
    let fallback: { entry: CachedEntry<T>; tier: Tier } | undefined;
    let reason: MissReason = 'cold';

    const inMemory = l1?.get<T>(key);
    if (inMemory) {
      const state = await this.stateOf(inMemory, now, options);
      if (state.kind === 'fresh' || state.kind === 'grace') return { kind: state.kind, entry: inMemory, tier: 'l1' };
      if (state.kind === 'dead') {
        l1!.delete(key);
        reason = state.reason;
      } else {
        fallback = { entry: inMemory, tier: 'l1' };
        reason = state.kind === 'outdated' ? 'outdated' : 'expired';
      }
    }

    if (l2) {
      try {
        const stored = await this.readL2<T>(key);
        if (stored === 'corrupt') {
          reason = 'corrupt';
        } else if (stored) {
          const state = await this.stateOf(stored, now, options);
          if (state.kind === 'fresh' || state.kind === 'grace') {
            if (options.l1 !== false) l1?.set(key, stored, lifetimeOf(stored, now));
            return { kind: state.kind, entry: stored, tier: 'l2' };
          }
          if (state.kind === 'dead') {
            reason = state.reason;
          } else {
            if (!fallback || stored.createdAt > fallback.entry.createdAt) fallback = { entry: stored, tier: 'l2' };
            reason = state.kind === 'outdated' ? 'outdated' : 'expired';
          }
        }
      } catch (error) {
        if (!(error instanceof L2Unavailable)) throw error;
        if (reason === 'cold') reason = 'l2-unavailable';
      }
    }
    return { kind: 'miss', reason, fallback };
  }

  stateOf(entry: CachedEntry, now: number, options: EntryOptions): State | Promise<State> {
    const latest = this.deps.tagClock.latest(entry.tags);
    return typeof latest === 'number'
      ? classify(entry, now, options, latest)
      : latest.then((at) => classify(entry, now, options, at));
  }

  /** Reads and verifies an entry; a damaged one is deleted and reported as `'corrupt'` (Q18.1). */
  async readL2<T>(key: string): Promise<CachedEntry<T> | null | 'corrupt'> {
    const bytes = await this.deps.l2!.get(key);
    if (!bytes) return null;
    return this.decode<T>(key, bytes);
  }

  decode<T>(key: string, bytes: Buffer): CachedEntry<T> | 'corrupt' {
    try {
      const { payload, v: _v, codec: _c, checksum: _s, ...meta } = decodeEnvelope<T>(bytes);
      return { ...meta, value: payload, bytes: bytes.length };
    } catch (error) {
      if (!(error instanceof CorruptEntryError)) throw error;
      this.deps.stats.corrupt();
      this.deps.logger?.warn({ cache: this.deps.name, key, reason: error.message }, 'corrupt cache entry deleted');
      if (this.deps.l2) void bestEffort(this.deps.l2.delete(key), 'cache.corrupt.delete');
      this.deps.l1?.delete(key);
      return 'corrupt';
    }
  }

  /**
   * A value another caller computed for us. Newer than anything this caller had, and not invalidated or
   * outdated; a foreground miss also takes it when it is already past its TTL — it is the result of a load
   * that ran after this caller asked, the freshest there is — while a background refresh wants it fresh.
   */
  async freshFromL2<T>(
    key: string,
    options: EntryOptions,
    seenCreatedAt: number | null,
    mode: 'foreground' | 'background',
  ): Promise<CachedEntry<T> | null> {
    try {
      const stored = await this.readL2<T>(key);
      if (!stored || stored === 'corrupt') return null;
      if (seenCreatedAt !== null && stored.createdAt <= seenCreatedAt) return null;
      const now = this.deps.clock();
      const state = (await this.stateOf(stored, now, options)).kind;
      const usable = state === 'fresh' || (mode === 'foreground' && (state === 'grace' || state === 'stale'));
      if (!usable) return null;
      if (options.l1 !== false) this.deps.l1?.set(key, stored, lifetimeOf(stored, now));
      return stored;
    } catch {
      return null;
    }
  }

  /**
   * Fresh values for many keys without loading any (the partial-hit planner asks which of its parts it
   * already has, Q11.3). One pipelined round trip for whatever L1 does not hold.
   */
  async peekMany<T>(keys: string[], options: Pick<EntryOptions, 'dataVersion' | 'l1'>): Promise<(T | undefined)[]> {
    const { l1, l2, stats } = this.deps;
    const now = this.deps.clock();
    const out: (T | undefined)[] = new Array(keys.length).fill(undefined);
    const fromL2: number[] = [];
    for (const [i, key] of keys.entries()) {
      CacheKeys.assertLogicalKey(key);
      const entry = l1?.get<T>(key);
      if (entry && (await this.stateOf(entry, now, { ttlMs: 0, ...options })).kind === 'fresh') {
        out[i] = entry.value;
        stats.hit('l1', entry.cost);
      } else {
        fromL2.push(i);
      }
    }
    if (fromL2.length === 0 || !l2 || !l2.usable) return out;
    let found: (Buffer | null)[];
    try {
      found = await l2.getMany(fromL2.map((i) => keys[i]!));
    } catch {
      return out;
    }
    for (const [j, bytes] of found.entries()) {
      if (!bytes) continue;
      const i = fromL2[j]!;
      const entry = this.decode<T>(keys[i]!, bytes);
      if (entry === 'corrupt') continue;
      if ((await this.stateOf(entry, now, { ttlMs: 0, ...options })).kind !== 'fresh') continue;
      if (options.l1 !== false) l1?.set(keys[i]!, entry, lifetimeOf(entry, now));
      stats.hit('l2', entry.cost);
      out[i] = entry.value;
    }
    return out;
  }
}
