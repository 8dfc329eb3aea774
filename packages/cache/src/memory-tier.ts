import { LRUCache } from 'lru-cache';
import type { EntryMeta } from './envelope';

/** A decoded entry as the engine keeps it in memory and hands it around. */
export interface CachedEntry<T = unknown> extends EntryMeta {
  value: T;
  /** Size of the encoded envelope (bytes): what it costs in Redis and what L1 is bounded by. */
  bytes: number;
}

export interface MemoryTierOptions {
  maxBytes: number;
  /** Upper bound on how long an entry lives here; also the bound on a missed coherency message (Q19.4). */
  ttlMs: number;
}

// Keys, metadata and object headers cost memory too; counted so small entries do not overrun the budget.
const ENTRY_OVERHEAD_BYTES = 256;

/** L1: per-process LRU bounded by bytes, not by entry count, so one huge result cannot push memory out. */
export class MemoryTier {
  private readonly lru: LRUCache<string, CachedEntry>;

  constructor(private readonly options: MemoryTierOptions) {
    this.lru = new LRUCache<string, CachedEntry>({
      maxSize: options.maxBytes,
      // An entry bigger than a quarter of L1 would evict most of it; such entries live in L2 only.
      maxEntrySize: Math.max(1, Math.floor(options.maxBytes / 4)),
      sizeCalculation: (entry, key) => entry.bytes + key.length * 2 + ENTRY_OVERHEAD_BYTES,
      ttl: options.ttlMs,
      ttlAutopurge: false,
    });
  }

  get<T>(key: string): CachedEntry<T> | undefined {
    return this.lru.get(key) as CachedEntry<T> | undefined;
  }

  /** `lifetimeMs`: how long the entry may still be used at all (ttl + grace/stale window − age). */
  set(key: string, entry: CachedEntry, lifetimeMs: number): void {
    const ttl = Math.min(this.options.ttlMs, Math.max(1, Math.floor(lifetimeMs)));
    this.lru.set(key, entry, { ttl });
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }
}
