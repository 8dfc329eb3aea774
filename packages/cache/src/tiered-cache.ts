import { bestEffort } from '@casebook/platform';
import { CacheAdmin } from './cache-admin';
import { CacheMetrics, type CacheStatsSnapshot, type MissReason } from './cache-metrics';
import { type BusMessage, CoherencyBus } from './coherency-bus';
import { CorruptEntryError, decodeEnvelope, encodeEnvelope, type EntryMeta } from './envelope';
import { flushStats, readFleetStats } from './fleet-stats';
import { classify, lifetimeOf, toResult, withinStaleIfError } from './entry-state';
import { CacheKeys } from './keys';
import { type CachedEntry, MemoryTier } from './memory-tier';
import { L2Unavailable, newInstanceId, type RedisClient, RedisTier } from './redis-tier';
import { LeaseProtocol } from './lease-protocol';
import { PeerSignals } from './peer-signals';
import { SingleFlight } from './single-flight';
import { TagClock } from './tag-clock';
import type { CacheResult, EntryOptions, Loader, State, TieredCacheOptions } from './types';
import { shouldRefreshEarly } from './xfetch';

interface Loaded<T> {
  entry: CachedEntry<T>;
  source: 'loader' | 'peer';
  stored: boolean;
  notes: Record<string, unknown>;
}

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

/**
 * The tiered cache engine (Q19.3): L1 memory → L2 Redis → loader, with in-process single-flight and a
 * cross-instance lease (one load per key across the fleet), stale-while-revalidate and stale-if-error,
 * XFetch early refresh, a latency budget and breaker in front of Redis, version and lazy tag
 * invalidation (nothing is ever scanned), an L1 coherency bus, and a checksummed, compressed envelope.
 */
export class TieredCache {
  readonly name: string;
  readonly instanceId: string;
  private readonly keys: CacheKeys;
  private readonly l1: MemoryTier | null;
  private readonly l2: RedisTier | null;
  private readonly bus: CoherencyBus | null;
  private readonly tagClock: TagClock;
  private readonly stats: CacheMetrics;
  private readonly flights = new SingleFlight<Loaded<unknown> | null>();
  private readonly signals = new PeerSignals();
  private readonly leases: LeaseProtocol;
  private readonly background = new Set<Promise<unknown>>();
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly options: Required<
    Pick<
      TieredCacheOptions,
      | 'compressAboveBytes'
      | 'maxEntryBytes'
      | 'leaseTtlMs'
      | 'leaseWaitMs'
      | 'xfetchBeta'
      | 'statsFlushMs'
      | 'indexTags'
    >
  >;
  private readonly redisKeyPrefix: string;
  private statsTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private adminView: CacheAdmin | undefined;

  constructor(private readonly init: TieredCacheOptions) {
    this.name = init.name;
    this.keys = new CacheKeys(init.name);
    this.instanceId = init.instanceId ?? newInstanceId();
    this.clock = init.clock ?? Date.now;
    this.random = init.random ?? Math.random;
    const leaseTtlMs = init.leaseTtlMs ?? DEFAULTS.leaseTtlMs;
    this.options = {
      compressAboveBytes: init.compressAboveBytes ?? DEFAULTS.compressAboveBytes,
      maxEntryBytes: init.maxEntryBytes ?? DEFAULTS.maxEntryBytes,
      leaseTtlMs,
      leaseWaitMs: init.leaseWaitMs ?? leaseTtlMs + 5_000,
      xfetchBeta: init.xfetchBeta ?? DEFAULTS.xfetchBeta,
      statsFlushMs: init.statsFlushMs ?? DEFAULTS.statsFlushMs,
      indexTags: init.indexTags ?? true,
    };
    this.stats = new CacheMetrics(init.name, init.metrics);
    const l1 = init.l1 === undefined ? DEFAULTS.l1 : init.l1;
    this.l1 = l1 === false ? null : new MemoryTier(l1);
    this.redisKeyPrefix =
      init.redisKeyPrefix ??
      String((init.redis as { options?: { keyPrefix?: string } } | null)?.options?.keyPrefix ?? '');
    this.l2 = init.redis
      ? new RedisTier(init.redis, this.keys, {
          budgetMs: init.l2BudgetMs ?? DEFAULTS.l2BudgetMs,
          breaker: init.breaker ?? DEFAULTS.breaker,
          clock: this.clock,
          onBreakerChange: (state) => {
            this.stats.breaker(state);
            init.logger?.warn({ cache: this.name, state }, `cache L2 breaker ${state}`);
          },
          onFailure: (op, reason) => this.stats.l2Failure(op, reason),
        })
      : null;
    // A tag time is trusted for as long as an L1 entry is: the same bound on a missed bus message.
    this.tagClock = new TagClock(this.l2, l1 === false ? DEFAULTS.l1.ttlMs : l1.ttlMs, this.clock);
    this.bus =
      this.l2 && init.redis && init.subscriber !== false
        ? new CoherencyBus(
            init.subscriber ?? duplicateForSubscribe(init.redis),
            this.l2,
            `${this.redisKeyPrefix}${init.name}:bus`,
            this.instanceId,
            { onMessage: (m) => this.onBusMessage(m), onResync: () => this.resync() },
          )
        : null;
    this.leases = new LeaseProtocol({
      l2: this.l2,
      clock: this.clock,
      stats: this.stats,
      signals: this.signals,
      leaseTtlMs: this.options.leaseTtlMs,
      leaseWaitMs: this.options.leaseWaitMs,
      isClosed: () => this.closed,
      freshFromL2: (key, options, seen, mode) => this.freshFromL2(key, options, seen, mode),
    });
  }

  /** Subscribes to the coherency bus and starts the stats flush; call once at boot. */
  async start(): Promise<void> {
    await this.bus?.start();
    if (this.l2 && this.options.statsFlushMs > 0) {
      this.statsTimer = setInterval(() => void this.flushStats(), this.options.statsFlushMs);
      this.statsTimer.unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.statsTimer);
    await Promise.allSettled([...this.background]);
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
    const now = this.clock();
    let fallback: { entry: CachedEntry<T>; tier: 'l1' | 'l2' } | undefined;
    let missReason: MissReason = 'cold';

    const inMemory = this.l1?.get<T>(key);
    if (inMemory) {
      const state = await this.stateOf(inMemory, now, options);
      if (state.kind === 'fresh') return this.served(key, inMemory, 'l1', loader, options, now);
      if (state.kind === 'grace') return this.servedStale(key, inMemory, 'l1', loader, options, now);
      if (state.kind === 'dead') {
        this.l1!.delete(key);
        missReason = state.reason;
      } else {
        fallback = { entry: inMemory, tier: 'l1' };
        missReason = state.kind === 'outdated' ? 'outdated' : 'expired';
      }
    }

    if (this.l2) {
      try {
        const stored = await this.readL2<T>(key);
        if (stored === 'corrupt') {
          missReason = 'corrupt';
        } else if (stored) {
          const state = await this.stateOf(stored, now, options);
          if (state.kind === 'fresh' || state.kind === 'grace') {
            if (options.l1 !== false) this.l1?.set(key, stored, lifetimeOf(stored, now));
            return state.kind === 'fresh'
              ? this.served(key, stored, 'l2', loader, options, now)
              : this.servedStale(key, stored, 'l2', loader, options, now);
          }
          if (state.kind === 'dead') {
            missReason = state.reason;
          } else {
            if (!fallback || stored.createdAt > fallback.entry.createdAt) fallback = { entry: stored, tier: 'l2' };
            missReason = state.kind === 'outdated' ? 'outdated' : 'expired';
          }
        }
      } catch (error) {
        if (!(error instanceof L2Unavailable)) throw error;
        if (missReason === 'cold') missReason = 'l2-unavailable';
      }
    }

    this.stats.miss(missReason);
    return this.loadThrough(key, loader, options, fallback, missReason, now);
  }

  private async loadThrough<T>(
    key: string,
    loader: Loader<T>,
    options: EntryOptions,
    fallback: { entry: CachedEntry<T>; tier: 'l1' | 'l2' } | undefined,
    missReason: MissReason,
    now: number,
  ): Promise<CacheResult<T>> {
    try {
      const seen = fallback?.entry.createdAt ?? null;
      let { promise, joined } = this.flights.run(key, () => this.fill(key, loader, options, 'foreground', seen));
      if (joined) this.stats.collapsed('process');
      let loaded = (await promise) as Loaded<T> | null;
      if (!loaded) {
        // Joined a background refresh that found another instance refreshing: wait for that one.
        ({ promise, joined } = this.flights.run(key, () => this.fill(key, loader, options, 'foreground', seen)));
        loaded = (await promise) as Loaded<T> | null;
        if (!loaded) throw new Error('cache load produced no value');
      }
      const collapsed = joined || loaded.source === 'peer';
      return toResult(loaded.entry, 'miss', loaded.source, this.clock(), {
        collapsed,
        missReason,
        stored: loaded.stored,
        notes: loaded.notes,
      });
    } catch (error) {
      if (fallback && withinStaleIfError(fallback.entry, this.clock())) {
        this.stats.stale(fallback.tier, 'loader-error', 0);
        this.init.logger?.warn(
          { cache: this.name, key, err: error },
          'loader failed; serving the last value (stale-if-error)',
        );
        return toResult(fallback.entry, 'stale', fallback.tier, now, {
          staleReason: 'loader-error',
          missReason,
        });
      }
      throw error;
    }
  }

  private served<T>(
    key: string,
    entry: CachedEntry<T>,
    tier: 'l1' | 'l2',
    loader: Loader<T>,
    options: EntryOptions,
    now: number,
  ): CacheResult<T> {
    this.stats.hit(tier, entry.cost);
    // Q13.3: XFetch — the closer to expiry and the costlier the load, the likelier one caller refreshes now.
    if (
      !this.flights.has(key) &&
      shouldRefreshEarly({
        now,
        expiresAt: entry.createdAt + entry.ttl,
        costMs: entry.cost,
        beta: this.options.xfetchBeta,
        random: this.random,
      })
    ) {
      this.stats.earlyRefresh();
      this.refreshInBackground(key, loader, options, entry.createdAt);
    }
    return toResult(entry, 'hit', tier, now, {});
  }

  private servedStale<T>(
    key: string,
    entry: CachedEntry<T>,
    tier: 'l1' | 'l2',
    loader: Loader<T>,
    options: EntryOptions,
    now: number,
  ): CacheResult<T> {
    this.stats.stale(tier, 'revalidating', entry.cost);
    this.refreshInBackground(key, loader, options, entry.createdAt);
    return toResult(entry, 'stale', tier, now, { staleReason: 'revalidating' });
  }

  private refreshInBackground<T>(key: string, loader: Loader<T>, options: EntryOptions, seenCreatedAt: number): void {
    if (this.closed || this.flights.has(key)) return;
    if (this.leases.peerIsRefreshing(key)) return;
    const { promise } = this.flights.run(key, () => this.fill(key, loader, options, 'background', seenCreatedAt));
    const tracked = promise.catch((error: unknown) => {
      this.init.logger?.warn({ cache: this.name, key, err: error }, 'background refresh failed');
    });
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  /** One load for the fleet: the lease protocol decides who loads; a background refresh may find nothing to do. */
  private async fill<T>(
    key: string,
    loader: Loader<T>,
    options: EntryOptions,
    mode: 'foreground' | 'background',
    seenCreatedAt: number | null,
  ): Promise<Loaded<T> | null> {
    const plan = await this.leases.plan<T>(key, options, mode, seenCreatedAt);
    if (plan.kind === 'skip') return null;
    if (plan.kind === 'peer') return { entry: plan.entry, source: 'peer', stored: true, notes: {} };
    return this.runLoader(key, loader, options, plan);
  }

  private async runLoader<T>(
    key: string,
    loader: Loader<T>,
    options: EntryOptions,
    lease: { asOf: number; token: string | null; writeL2: boolean },
  ): Promise<Loaded<T>> {
    const notes: Record<string, unknown> = {};
    const started = performance.now();
    const renew = lease.token
      ? setInterval(
          () =>
            void (
              this.l2 && bestEffort(this.l2.renewLease(key, lease.token!, this.options.leaseTtlMs), 'cache.lease.renew')
            ),
          Math.max(50, Math.floor(this.options.leaseTtlMs / 3)),
        )
      : undefined;
    renew?.unref();
    let value: T;
    try {
      value = await loader({ asOf: lease.asOf, note: (facts) => Object.assign(notes, facts) });
    } catch (error) {
      this.stats.load(performance.now() - started, false);
      // Let the next caller (here or elsewhere) try instead of waiting for the lease to expire.
      if (lease.token && this.l2) void bestEffort(this.l2.releaseLease(key, lease.token), 'cache.lease.release');
      throw error;
    } finally {
      clearInterval(renew);
    }
    const cost = Math.max(0, performance.now() - started);
    this.stats.load(cost, true);
    const stored = await this.store(key, value, options, { asOf: lease.asOf, cost, token: lease.token }, lease.writeL2);
    return { entry: stored.entry, source: 'loader', stored: stored.stored, notes };
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
    const { stored } = await this.store(
      key,
      value,
      options,
      { asOf: options.asOf, cost: options.cost, token: null },
      true,
    );
    return { stored };
  }

  private async store<T>(
    key: string,
    value: T,
    options: EntryOptions,
    origin: { asOf: number; cost: number; token: string | null },
    writeL2: boolean,
  ): Promise<{ entry: CachedEntry<T>; stored: boolean }> {
    const graceMs = options.graceMs ?? 0;
    const meta: EntryMeta = {
      createdAt: this.clock(),
      ttl: options.ttlMs,
      grace: graceMs,
      staleIfError: Math.max(options.staleIfErrorMs ?? graceMs, graceMs),
      dataVersion: options.stampVersion ?? options.dataVersion ?? null,
      tags: [...new Set(options.tags ?? [])].sort(),
      asOf: origin.asOf,
      cost: Math.round(origin.cost * 100) / 100,
    };
    const release = (): void => {
      if (origin.token && this.l2) void bestEffort(this.l2.releaseLease(key, origin.token), 'cache.lease.release');
    };
    if (options.store === false) {
      release();
      return { entry: { ...meta, value, bytes: 0 }, stored: false };
    }
    for (const tag of meta.tags) CacheKeys.assertTag(tag);
    const encoded = await encodeEnvelope(meta, value, { compressAboveBytes: this.options.compressAboveBytes });
    const entry: CachedEntry<T> = { ...meta, value, bytes: encoded.bytes.length };
    if (encoded.bytes.length > this.options.maxEntryBytes) {
      // Q18.4: answer it, never store it; the caller pages large results instead.
      this.stats.oversize();
      release();
      return { entry, stored: false };
    }
    if (options.l1 !== false) this.l1?.set(key, entry, lifetimeOf(entry, meta.createdAt));
    if (writeL2 && this.l2) {
      // The caller does not wait for Redis; other instances waiting on the lease are woken by the bus.
      this.track(this.writeL2(key, entry, encoded.bytes, origin.token));
    } else {
      release();
    }
    return { entry, stored: true };
  }

  private async writeL2(key: string, entry: CachedEntry, bytes: Buffer, token: string | null): Promise<void> {
    const l2 = this.l2!;
    const lifetime = entry.ttl + Math.max(entry.grace, entry.staleIfError);
    try {
      // A write may take longer than a read budget (large payloads); it is off the request path anyway.
      await l2.fill(key, bytes, lifetime, token, Math.max(250, this.init.l2BudgetMs ?? DEFAULTS.l2BudgetMs) * 4);
    } catch {
      if (token) void bestEffort(l2.releaseLease(key, token), 'cache.lease.release');
      return;
    }
    this.bus?.publish({ t: 'fill', k: key });
    if (this.options.indexTags && entry.tags.length > 0) {
      const expireAt = this.clock() + lifetime;
      const now = this.clock();
      await bestEffort(
        l2.call('index', (r) =>
          Promise.all(
            entry.tags.flatMap((tag) => {
              const index = this.keys.tagIndex(tag);
              return [
                r.zadd(index, expireAt, key),
                r.zremrangebyscore(index, '-inf', now),
                r.pexpire(index, Math.ceil(lifetime) + 60_000),
              ];
            }),
          ),
        ),
        'cache.tag-index.add',
      );
    }
  }

  private track(promise: Promise<unknown>): void {
    this.background.add(promise);
    void promise.finally(() => this.background.delete(promise));
  }

  /** Reads and verifies an entry; a damaged one is deleted and reported as `'corrupt'` (Q18.1). */
  private async readL2<T>(key: string): Promise<CachedEntry<T> | null | 'corrupt'> {
    const bytes = await this.l2!.get(key);
    if (!bytes) return null;
    return this.decode<T>(key, bytes);
  }

  private decode<T>(key: string, bytes: Buffer): CachedEntry<T> | 'corrupt' {
    try {
      const { payload, v: _v, codec: _c, checksum: _s, ...meta } = decodeEnvelope<T>(bytes);
      return { ...meta, value: payload, bytes: bytes.length };
    } catch (error) {
      if (!(error instanceof CorruptEntryError)) throw error;
      this.stats.corrupt();
      this.init.logger?.warn({ cache: this.name, key, reason: error.message }, 'corrupt cache entry deleted');
      if (this.l2) void bestEffort(this.l2.delete(key), 'cache.corrupt.delete');
      this.l1?.delete(key);
      return 'corrupt';
    }
  }

  /**
   * A value another caller computed for us. Newer than anything this caller had, and not invalidated or
   * outdated; a foreground miss also takes it when it is already past its TTL — it is the result of a load
   * that ran after this caller asked, the freshest there is — while a background refresh wants it fresh.
   */
  private async freshFromL2<T>(
    key: string,
    options: EntryOptions,
    seenCreatedAt: number | null,
    mode: 'foreground' | 'background',
  ): Promise<CachedEntry<T> | null> {
    try {
      const stored = await this.readL2<T>(key);
      if (!stored || stored === 'corrupt') return null;
      if (seenCreatedAt !== null && stored.createdAt <= seenCreatedAt) return null;
      const now = this.clock();
      const state = (await this.stateOf(stored, now, options)).kind;
      const usable = state === 'fresh' || (mode === 'foreground' && (state === 'grace' || state === 'stale'));
      if (!usable) return null;
      if (options.l1 !== false) this.l1?.set(key, stored, lifetimeOf(stored, now));
      return stored;
    } catch {
      return null;
    }
  }

  private onBusMessage(message: BusMessage): void {
    if (message.t === 'tag') {
      this.tagClock.set(message.g, message.at);
      return;
    }
    this.l1?.delete(message.k);
    this.leases.forgetPeer(message.k);
    if (message.t === 'fill') this.signals.wake(message.k);
  }

  /** After a bus reconnect, messages may have been lost: forget what could be out of date. */
  private resync(): void {
    this.l1?.clear();
    this.tagClock.clear();
  }

  private stateOf(entry: CachedEntry, now: number, options: EntryOptions): State | Promise<State> {
    const latest = this.tagClock.latest(entry.tags);
    return typeof latest === 'number'
      ? classify(entry, now, options, latest)
      : latest.then((at) => classify(entry, now, options, at));
  }

  /**
   * Fresh values for many keys without loading any (the partial-hit planner asks which of its parts it
   * already has, Q11.3). One pipelined round trip for whatever L1 does not hold.
   */
  async peekMany<T>(keys: string[], options: Pick<EntryOptions, 'dataVersion' | 'l1'>): Promise<(T | undefined)[]> {
    const now = this.clock();
    const out: (T | undefined)[] = new Array(keys.length).fill(undefined);
    const fromL2: number[] = [];
    for (const [i, key] of keys.entries()) {
      CacheKeys.assertLogicalKey(key);
      const entry = this.l1?.get<T>(key);
      if (entry && (await this.stateOf(entry, now, { ttlMs: 0, ...options })).kind === 'fresh') {
        out[i] = entry.value;
        this.stats.hit('l1', entry.cost);
      } else {
        fromL2.push(i);
      }
    }
    if (fromL2.length === 0 || !this.l2 || !this.l2.usable) return out;
    let found: (Buffer | null)[];
    try {
      found = await this.l2.getMany(fromL2.map((i) => keys[i]!));
    } catch {
      return out;
    }
    for (const [j, bytes] of found.entries()) {
      if (!bytes) continue;
      const i = fromL2[j]!;
      const entry = this.decode<T>(keys[i]!, bytes);
      if (entry === 'corrupt') continue;
      if ((await this.stateOf(entry, now, { ttlMs: 0, ...options })).kind !== 'fresh') continue;
      if (options.l1 !== false) this.l1?.set(keys[i]!, entry, lifetimeOf(entry, now));
      this.stats.hit('l2', entry.cost);
      out[i] = entry.value;
    }
    return out;
  }

  /** Redis time (ms), for `asOf` of values computed outside `getOrLoad`; local time when Redis is away. */
  async now(): Promise<number> {
    if (!this.l2?.usable) return this.clock();
    try {
      return await this.l2.now();
    } catch {
      return this.clock();
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
      redisKeyPrefix: this.redisKeyPrefix,
      clock: this.clock,
      decode: (key, bytes) => this.decode(key, bytes),
      stateOf: (entry, now, options) => this.stateOf(entry, now, options),
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
