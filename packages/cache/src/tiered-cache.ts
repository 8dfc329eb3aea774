import { CacheAdmin } from './cache-admin';
import { CacheLoads } from './cache-loads';
import { CacheMetrics, type CacheStatsSnapshot } from './cache-metrics';
import { resolveOptions, type ResolvedOptions } from './cache-options';
import { CacheReader } from './cache-reader';
import { CacheWriter } from './cache-writer';
import { type BusMessage, CoherencyBus } from './coherency-bus';
import { flushStats, readFleetStats } from './fleet-stats';
import { CacheKeys } from './keys';
import { MemoryTier } from './memory-tier';
import { L2Unavailable, type RedisClient, RedisTier } from './redis-tier';
import { TagClock } from './tag-clock';
import type { CacheResult, EntryOptions, Loader, TieredCacheOptions } from './types';

/**
 * The tiered cache engine (Q19.3): L1 memory → L2 Redis → loader, with in-process single-flight and a
 * cross-instance lease (one load per key across the fleet), stale-while-revalidate and stale-if-error,
 * XFetch early refresh, a latency budget and breaker in front of Redis, version and lazy tag
 * invalidation (nothing is ever scanned), an L1 coherency bus, and a checksummed, compressed envelope.
 *
 * A facade: options are resolved once (`cache-options`), reads go through {@link CacheReader}, writes
 * (and the tag index) through {@link CacheWriter}, loads through {@link CacheLoads}. Nothing connects in
 * the constructor; `start()` opens the bus subscription and the stats flush.
 */
export class TieredCache {
  readonly name: string;
  readonly instanceId: string;
  private readonly options: ResolvedOptions;
  private readonly keys: CacheKeys;
  private readonly l1: MemoryTier | null;
  private readonly l2: RedisTier | null;
  private readonly tagClock: TagClock;
  private readonly stats: CacheMetrics;
  private readonly reader: CacheReader;
  private readonly writer: CacheWriter;
  private readonly loads: CacheLoads;
  private bus: CoherencyBus | null = null;
  private statsTimer: NodeJS.Timeout | undefined;
  private adminView: CacheAdmin | undefined;

  constructor(private readonly init: TieredCacheOptions) {
    const options = (this.options = resolveOptions(init));
    this.name = options.name;
    this.instanceId = options.instanceId;
    this.keys = new CacheKeys(options.name);
    this.stats = new CacheMetrics(options.name, init.metrics);
    this.l1 = options.l1 === false ? null : new MemoryTier(options.l1);
    this.l2 = init.redis
      ? new RedisTier(init.redis, this.keys, {
          budgetMs: options.l2BudgetMs,
          breaker: options.breaker,
          clock: options.clock,
          onBreakerChange: (state) => {
            this.stats.breaker(state);
            init.logger?.warn({ cache: this.name, state }, `cache L2 breaker ${state}`);
          },
          onFailure: (op, reason) => this.stats.l2Failure(op, reason),
        })
      : null;
    this.tagClock = new TagClock(this.l2, options.tagTrustMs, options.clock);
    const tiers = { l1: this.l1, l2: this.l2, stats: this.stats };
    this.reader = new CacheReader({
      ...tiers,
      name: this.name,
      tagClock: this.tagClock,
      clock: options.clock,
      logger: init.logger,
    });
    this.writer = new CacheWriter({ ...tiers, bus: () => this.bus, options });
    this.loads = new CacheLoads({
      l2: this.l2,
      reader: this.reader,
      writer: this.writer,
      stats: this.stats,
      options,
      logger: init.logger,
    });
  }

  /** Opens the coherency bus subscription and starts the stats flush; call once at boot. */
  async start(): Promise<void> {
    const { init, l2 } = this;
    if (!this.bus && l2 && init.redis && init.subscriber !== false) {
      this.bus = new CoherencyBus(
        init.subscriber ?? duplicateForSubscribe(init.redis),
        l2,
        `${this.options.redisKeyPrefix}${this.name}:bus`,
        this.instanceId,
        { onMessage: (m) => this.onBusMessage(m), onResync: () => this.resync() },
      );
    }
    await this.bus?.start();
    if (l2 && this.options.statsFlushMs > 0 && !this.statsTimer) {
      this.statsTimer = setInterval(() => void this.flushStats(), this.options.statsFlushMs);
      this.statsTimer.unref();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.statsTimer);
    await this.loads.close();
    await this.writer.settled();
    await this.flushStats();
    await this.bus?.stop();
  }

  /** Whether L2 is currently used (connected, breaker not open). */
  get l2Usable(): boolean {
    return this.l2?.usable ?? false;
  }

  get l1Stats(): { entries: number; bytes: number } {
    return { entries: this.l1?.size ?? 0, bytes: this.l1?.bytes ?? 0 };
  }

  /**
   * The one read path: a fresh value from L1 or L2, else a stale one within grace while one caller
   * refreshes it, else a load — shared by every concurrent caller in the fleet — with the last value
   * as the stale-if-error fallback.
   */
  async getOrLoad<T>(key: string, loader: Loader<T>, options: EntryOptions): Promise<CacheResult<T>> {
    CacheKeys.assertLogicalKey(key);
    const now = this.options.clock();
    const found = await this.reader.lookup<T>(key, options, now);
    if (found.kind === 'miss') {
      this.stats.miss(found.reason);
      return this.loads.loadThrough(key, loader, options, found.fallback, found.reason, now);
    }
    return this.loads.serve(found.kind, key, found.entry, found.tier, loader, options, now);
  }

  /**
   * Writes a value computed elsewhere (e.g. one warehouse query split into per-product entries, Q11.3).
   * `asOf` must be the Redis time taken before that computation started.
   */
  async set<T>(
    key: string,
    value: T,
    options: EntryOptions & { asOf: number; cost: number },
  ): Promise<{ stored: boolean }> {
    CacheKeys.assertLogicalKey(key);
    const origin = { asOf: options.asOf, cost: options.cost, token: null };
    const { stored } = await this.writer.store(key, value, options, origin, true);
    return { stored };
  }

  /** Fresh values for many keys without loading any (Q11.3). */
  peekMany<T>(keys: string[], options: Pick<EntryOptions, 'dataVersion' | 'l1'>): Promise<(T | undefined)[]> {
    return this.reader.peekMany<T>(keys, options);
  }

  /** Redis time (ms), for `asOf` of values computed outside `getOrLoad`; local time when Redis is away. */
  async now(): Promise<number> {
    if (!this.l2?.usable) return this.options.clock();
    try {
      return await this.l2.now();
    } catch {
      return this.options.clock();
    }
  }

  /** Deletes one entry everywhere (admin, Q20.1). */
  async delete(key: string): Promise<boolean> {
    CacheKeys.assertLogicalKey(key);
    this.l1?.delete(key);
    if (!this.l2) return false;
    const deleted = await this.l2.delete(key);
    this.bus?.publish({ t: 'del', k: key });
    return deleted;
  }

  /**
   * Q20.3: bulk invalidation without scanning: one timestamp per tag. Each tag is one atomic write, so
   * a failure leaves every tag either fully invalidated or untouched; the result says which.
   */
  async invalidateTags(tags: string[]): Promise<{ tag: string; invalidatedAt: number }[]> {
    if (!this.l2) throw new L2Unavailable('disconnected');
    const out: { tag: string; invalidatedAt: number }[] = [];
    for (const tag of [...new Set(tags)]) {
      CacheKeys.assertTag(tag);
      // Invalidation is rare and must not be skipped by a short read budget.
      const at = await this.l2.invalidateTag(tag, 2_000);
      this.tagClock.set(tag, at);
      this.bus?.publish({ t: 'tag', g: tag, at });
      out.push({ tag, invalidatedAt: at });
    }
    return out;
  }

  /** Admin operations: inspect entries, list by tag or prefix (Q20.1). */
  get admin(): CacheAdmin {
    return (this.adminView ??= new CacheAdmin({
      l2: this.l2,
      keys: this.keys,
      redisKeyPrefix: this.options.redisKeyPrefix,
      clock: this.options.clock,
      decode: (key, bytes) => this.reader.decode(key, bytes),
      stateOf: (entry, now, options) => this.reader.stateOf(entry, now, options),
    }));
  }

  /** This instance's counts since it started. */
  localStats(): CacheStatsSnapshot {
    return this.stats.snapshot();
  }

  /** Adds this instance's unflushed counts to the fleet-wide hash in Redis. */
  flushStats(): Promise<void> {
    return flushStats(this.l2, this.keys, this.stats);
  }

  /** Every instance's counts added up (each flushes every `statsFlushMs`). */
  async fleetStats(): Promise<CacheStatsSnapshot> {
    await this.flushStats();
    return this.l2 ? readFleetStats(this.l2, this.keys) : this.localStats();
  }

  private onBusMessage(message: BusMessage): void {
    if (message.t === 'tag') {
      this.tagClock.set(message.g, message.at);
      return;
    }
    this.l1?.delete(message.k);
    this.loads.peerChanged(message.k, message.t === 'fill');
  }

  /** After a bus reconnect, messages may have been lost: forget what could be out of date. */
  private resync(): void {
    this.l1?.clear();
    this.tagClock.clear();
  }
}

function duplicateForSubscribe(redis: RedisClient): RedisClient {
  // The subscriber may queue its SUBSCRIBE until connected; the command client must not (fail fast).
  // No ready check: its INFO would be refused once a queued SUBSCRIBE went out first.
  const overrides = {
    enableOfflineQueue: true,
    enableReadyCheck: false,
    maxRetriesPerRequest: null,
    lazyConnect: false,
  };
  return 'nodes' in redis && typeof redis.nodes === 'function'
    ? (redis as import('ioredis').Cluster).duplicate(undefined, { redisOptions: overrides })
    : (redis as import('ioredis').Redis).duplicate(overrides);
}
