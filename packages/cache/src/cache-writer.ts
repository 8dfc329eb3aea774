import { bestEffort } from '@casebook/platform';
import type { CacheMetrics } from './cache-metrics';
import type { CoherencyBus } from './coherency-bus';
import { encodeEnvelope, type EntryMeta } from './envelope';
import { lifetimeOf } from './entry-state';
import { CacheKeys } from './keys';
import type { CachedEntry, MemoryTier } from './memory-tier';
import type { RedisTier } from './redis-tier';
import type { ResolvedOptions } from './cache-options';
import type { EntryOptions } from './types';

export interface WriterDeps {
  l1: MemoryTier | null;
  l2: RedisTier | null;
  /** The coherency bus once the cache has started (null before, and without Redis). */
  bus: () => CoherencyBus | null;
  stats: CacheMetrics;
  options: Pick<ResolvedOptions, 'clock' | 'compressAboveBytes' | 'maxEntryBytes' | 'indexTags' | 'l2WriteBudgetMs'>;
}

/** Where a value came from: the Redis time its computation started, what it cost, the lease it was loaded under. */
export interface Origin {
  asOf: number;
  cost: number;
  token: string | null;
}

/**
 * The write side: builds the envelope, keeps oversize values out (Q18.4), fills L1 at once and L2 in the
 * background (releasing the lease with the write), then tells the other instances and indexes the tags.
 */
export class CacheWriter {
  private readonly background = new Set<Promise<unknown>>();

  constructor(private readonly deps: WriterDeps) {}

  async store<T>(
    key: string,
    value: T,
    options: EntryOptions,
    origin: Origin,
    writeL2: boolean,
  ): Promise<{ entry: CachedEntry<T>; stored: boolean }> {
    const { l1, l2, stats } = this.deps;
    const { clock, compressAboveBytes, maxEntryBytes } = this.deps.options;
    const graceMs = options.graceMs ?? 0;
    const meta: EntryMeta = {
      createdAt: clock(),
      ttl: options.ttlMs,
      grace: graceMs,
      staleIfError: Math.max(options.staleIfErrorMs ?? graceMs, graceMs),
      dataVersion: options.stampVersion ?? options.dataVersion ?? null,
      tags: [...new Set(options.tags ?? [])].sort(),
      asOf: origin.asOf,
      cost: Math.round(origin.cost * 100) / 100,
    };
    const release = (): void => {
      if (origin.token) this.releaseLease(key, origin.token);
    };
    if (options.store === false) {
      release();
      return { entry: { ...meta, value, bytes: 0 }, stored: false };
    }
    for (const tag of meta.tags) CacheKeys.assertTag(tag);
    const encoded = await encodeEnvelope(meta, value, { compressAboveBytes });
    const entry: CachedEntry<T> = { ...meta, value, bytes: encoded.bytes.length };
    if (encoded.bytes.length > maxEntryBytes) {
      // Q18.4: answer it, never store it; the caller pages large results instead.
      stats.oversize();
      release();
      return { entry, stored: false };
    }
    if (options.l1 !== false) l1?.set(key, entry, lifetimeOf(entry, meta.createdAt));
    if (writeL2 && l2) {
      // The caller does not wait for Redis; other instances waiting on the lease are woken by the bus.
      this.track(this.writeL2(l2, key, entry, encoded.bytes, origin.token));
    } else {
      release();
    }
    return { entry, stored: true };
  }

  /** Gives a lease back so the next caller (here or elsewhere) loads instead of waiting for it to expire. */
  releaseLease(key: string, token: string): void {
    if (this.deps.l2) void bestEffort(this.deps.l2.releaseLease(key, token), 'cache.lease.release');
  }

  /** Waits for the L2 writes in flight (shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.background]);
  }

  private async writeL2(l2: RedisTier, key: string, entry: CachedEntry, bytes: Buffer, token: string | null) {
    const lifetime = entry.ttl + Math.max(entry.grace, entry.staleIfError);
    try {
      await l2.fill(key, bytes, lifetime, token, this.deps.options.l2WriteBudgetMs);
    } catch {
      if (token) this.releaseLease(key, token);
      return;
    }
    this.deps.bus()?.publish({ t: 'fill', k: key });
    if (this.deps.options.indexTags && entry.tags.length > 0) {
      await bestEffort(l2.indexTags(key, entry.tags, lifetime, this.deps.options.clock()), 'cache.tag-index.add');
    }
  }

  private track(promise: Promise<unknown>): void {
    this.background.add(promise);
    void promise.finally(() => this.background.delete(promise));
  }
}
