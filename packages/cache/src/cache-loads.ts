import { bestEffort } from '@casebook/platform';
import type { CacheMetrics, MissReason } from './cache-metrics';
import type { CacheReader, Tier } from './cache-reader';
import type { CacheWriter } from './cache-writer';
import type { ResolvedOptions } from './cache-options';
import { toResult, withinStaleIfError } from './entry-state';
import { LeaseProtocol } from './lease-protocol';
import type { CachedEntry } from './memory-tier';
import { PeerSignals } from './peer-signals';
import type { RedisTier } from './redis-tier';
import { SingleFlight } from './single-flight';
import type { CacheResult, EntryOptions, Loader, TieredCacheOptions } from './types';
import { shouldRefreshEarly } from './xfetch';

interface Loaded<T> {
  entry: CachedEntry<T>;
  source: 'loader' | 'peer';
  stored: boolean;
  notes: Record<string, unknown>;
}

export interface LoadsDeps {
  l2: RedisTier | null;
  reader: CacheReader;
  writer: CacheWriter;
  stats: CacheMetrics;
  options: Pick<ResolvedOptions, 'name' | 'clock' | 'random' | 'xfetchBeta' | 'leaseTtlMs' | 'leaseWaitMs'>;
  logger: TieredCacheOptions['logger'];
}

/**
 * Who loads, and when: in-process single-flight, the fleet-wide lease (one load per key), XFetch early
 * refresh and stale-while-revalidate in the background, stale-if-error when the loader fails.
 */
export class CacheLoads {
  private readonly flights = new SingleFlight<Loaded<unknown> | null>();
  private readonly signals = new PeerSignals();
  private readonly leases: LeaseProtocol;
  private readonly background = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly deps: LoadsDeps) {
    this.leases = new LeaseProtocol({
      l2: deps.l2,
      clock: deps.options.clock,
      stats: deps.stats,
      signals: this.signals,
      leaseTtlMs: deps.options.leaseTtlMs,
      leaseWaitMs: deps.options.leaseWaitMs,
      isClosed: () => this.closed,
      freshFromL2: (key, options, seen, mode) => deps.reader.freshFromL2(key, options, seen, mode),
    });
  }

  /** Another instance changed `key` (bus message): stop waiting on its lease, wake waiters on a fill. */
  peerChanged(key: string, filled: boolean): void {
    this.leases.forgetPeer(key);
    if (filled) this.signals.wake(key);
  }

  /** Stops background refreshes and waits for the ones running. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.background]);
  }

  /**
   * A value found in a tier: a fresh one is a hit (Q13.3: XFetch — the closer to expiry and the costlier
   * the load, the likelier one caller refreshes it now); one within grace is served stale while it is
   * refreshed in the background.
   */
  serve<T>(
    kind: 'fresh' | 'grace',
    key: string,
    entry: CachedEntry<T>,
    tier: Tier,
    loader: Loader<T>,
    options: EntryOptions,
    now: number,
  ): CacheResult<T> {
    const { stats } = this.deps;
    if (kind === 'grace') {
      stats.stale(tier, 'revalidating', entry.cost);
      this.refreshInBackground(key, loader, options, entry.createdAt);
      return toResult(entry, 'stale', tier, now, { staleReason: 'revalidating' });
    }
    stats.hit(tier, entry.cost);
    if (
      !this.flights.has(key) &&
      shouldRefreshEarly({
        now,
        expiresAt: entry.createdAt + entry.ttl,
        costMs: entry.cost,
        beta: this.deps.options.xfetchBeta,
        random: this.deps.options.random,
      })
    ) {
      stats.earlyRefresh();
      this.refreshInBackground(key, loader, options, entry.createdAt);
    }
    return toResult(entry, 'hit', tier, now, {});
  }

  async loadThrough<T>(
    key: string,
    loader: Loader<T>,
    options: EntryOptions,
    fallback: { entry: CachedEntry<T>; tier: Tier } | undefined,
    missReason: MissReason,
    now: number,
  ): Promise<CacheResult<T>> {
    const { clock } = this.deps.options;
    try {
      const seen = fallback?.entry.createdAt ?? null;
      let { promise, joined } = this.flights.run(key, () => this.fill(key, loader, options, 'foreground', seen));
      if (joined) this.deps.stats.collapsed('process');
      let loaded = (await promise) as Loaded<T> | null;
      if (!loaded) {
        // Joined a background refresh that found another instance refreshing: wait for that one.
        ({ promise, joined } = this.flights.run(key, () => this.fill(key, loader, options, 'foreground', seen)));
        loaded = (await promise) as Loaded<T> | null;
        if (!loaded) throw new Error('cache load produced no value');
      }
      const collapsed = joined || loaded.source === 'peer';
      return toResult(loaded.entry, 'miss', loaded.source, clock(), {
        collapsed,
        missReason,
        stored: loaded.stored,
        notes: loaded.notes,
      });
    } catch (error) {
      if (fallback && withinStaleIfError(fallback.entry, clock())) {
        this.deps.stats.stale(fallback.tier, 'loader-error', 0);
        this.deps.logger?.warn(
          { cache: this.deps.options.name, key, err: error },
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

  private refreshInBackground<T>(key: string, loader: Loader<T>, options: EntryOptions, seenCreatedAt: number): void {
    if (this.closed || this.flights.has(key)) return;
    if (this.leases.peerIsRefreshing(key)) return;
    const { promise } = this.flights.run(key, () => this.fill(key, loader, options, 'background', seenCreatedAt));
    const tracked = promise.catch((error: unknown) => {
      this.deps.logger?.warn({ cache: this.deps.options.name, key, err: error }, 'background refresh failed');
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
    const { l2, stats, writer } = this.deps;
    const { leaseTtlMs } = this.deps.options;
    const notes: Record<string, unknown> = {};
    const started = performance.now();
    const token = lease.token;
    const renew =
      token && l2
        ? setInterval(
            () => void bestEffort(l2.renewLease(key, token, leaseTtlMs), 'cache.lease.renew'),
            Math.max(50, Math.floor(leaseTtlMs / 3)),
          )
        : undefined;
    renew?.unref();
    let value: T;
    try {
      value = await loader({ asOf: lease.asOf, note: (facts) => Object.assign(notes, facts) });
    } catch (error) {
      stats.load(performance.now() - started, false);
      // Let the next caller (here or elsewhere) try instead of waiting for the lease to expire.
      if (token) writer.releaseLease(key, token);
      throw error;
    } finally {
      clearInterval(renew);
    }
    const cost = Math.max(0, performance.now() - started);
    stats.load(cost, true);
    const stored = await writer.store(key, value, options, { asOf: lease.asOf, cost, token }, lease.writeL2);
    return { entry: stored.entry, source: 'loader', stored: stored.stored, notes };
  }
}
