import type { Metrics } from '@casebook/platform';

export type HitTier = 'l1' | 'l2';
export type MissReason = 'cold' | 'expired' | 'outdated' | 'invalidated' | 'corrupt' | 'l2-unavailable';
export type StaleReason = 'revalidating' | 'loader-error';

/** What the admin API shows and what is flushed to Redis for the fleet view (Q17.1, Q17.4). */
export interface CacheStatsSnapshot {
  hitsL1: number;
  hitsL2: number;
  staleServed: number;
  misses: number;
  loads: number;
  loadErrors: number;
  loadMs: number;
  /** Loader time the hits avoided: the recorded cost of each entry served from cache. */
  savedMs: number;
  collapsedProcess: number;
  collapsedCluster: number;
  corrupt: number;
  oversize: number;
  earlyRefreshes: number;
  l2Failures: number;
}

export const EMPTY_STATS: CacheStatsSnapshot = {
  hitsL1: 0,
  hitsL2: 0,
  staleServed: 0,
  misses: 0,
  loads: 0,
  loadErrors: 0,
  loadMs: 0,
  savedMs: 0,
  collapsedProcess: 0,
  collapsedCluster: 0,
  corrupt: 0,
  oversize: 0,
  earlyRefreshes: 0,
  l2Failures: 0,
};

/** Derived ratios for a snapshot: a hit is any answer that did not wait for the loader (stale included). */
export function ratiosOf(stats: CacheStatsSnapshot): { hitRatio: number; l1HitRatio: number; l2HitRatio: number } {
  const hits = stats.hitsL1 + stats.hitsL2 + stats.staleServed;
  const total = hits + stats.misses;
  const share = (n: number): number => (total === 0 ? 0 : n / total);
  return { hitRatio: share(hits), l1HitRatio: share(stats.hitsL1), l2HitRatio: share(stats.hitsL2) };
}

/**
 * Prometheus series of one cache (Q17.1). The alert (infra/prometheus/alerts.yml, Q17.2) divides
 * `cache_hits_total` by hits + `cache_misses_total`; the miss reasons are what Q17.3's debugging starts from.
 */
export class CacheMetrics {
  private local: CacheStatsSnapshot = { ...EMPTY_STATS };
  private unflushed: CacheStatsSnapshot = { ...EMPTY_STATS };
  private readonly series?: {
    hits: ReturnType<Metrics['counter']>;
    misses: ReturnType<Metrics['counter']>;
    stale: ReturnType<Metrics['counter']>;
    loads: ReturnType<Metrics['counter']>;
    loadSeconds: ReturnType<Metrics['histogram']>;
    collapsed: ReturnType<Metrics['counter']>;
    saved: ReturnType<Metrics['counter']>;
    corrupt: ReturnType<Metrics['counter']>;
    oversize: ReturnType<Metrics['counter']>;
    early: ReturnType<Metrics['counter']>;
    l2Failures: ReturnType<Metrics['counter']>;
    breaker: ReturnType<Metrics['counter']>;
  };

  constructor(
    private readonly cache: string,
    metrics?: Metrics,
  ) {
    if (!metrics) return;
    this.series = {
      hits: metrics.counter('cache_hits_total', 'Answers served from cache, by tier and freshness.', [
        'cache',
        'tier',
        'state',
      ]),
      misses: metrics.counter('cache_misses_total', 'Answers that waited for the loader, by reason.', [
        'cache',
        'reason',
      ]),
      stale: metrics.counter('cache_stale_served_total', 'Stale answers served, by reason.', ['cache', 'reason']),
      loads: metrics.counter('cache_loads_total', 'Loader runs (warehouse queries), by result.', ['cache', 'result']),
      loadSeconds: metrics.histogram(
        'cache_load_duration_seconds',
        'Loader run time.',
        ['cache'],
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      ),
      collapsed: metrics.counter(
        'cache_collapsed_total',
        'Callers that shared another caller’s load (stampede collapses).',
        ['cache', 'scope'],
      ),
      saved: metrics.counter('cache_saved_seconds_total', 'Loader time avoided by hits (the cost figure).', ['cache']),
      corrupt: metrics.counter('cache_corrupt_entries_total', 'Entries that failed checksum or parsing.', ['cache']),
      oversize: metrics.counter('cache_oversize_total', 'Values not stored because they exceed the entry limit.', [
        'cache',
      ]),
      early: metrics.counter('cache_early_refresh_total', 'Probabilistic early refreshes (XFetch).', ['cache']),
      l2Failures: metrics.counter('cache_l2_failures_total', 'Redis calls that failed or blew the budget.', [
        'cache',
        'op',
        'reason',
      ]),
      breaker: metrics.counter('cache_l2_breaker_transitions_total', 'L2 breaker state changes.', ['cache', 'state']),
    };
  }

  private add(field: keyof CacheStatsSnapshot, n = 1): void {
    this.local[field] += n;
    this.unflushed[field] += n;
  }

  hit(tier: HitTier, savedMs: number): void {
    this.add(tier === 'l1' ? 'hitsL1' : 'hitsL2');
    this.add('savedMs', savedMs);
    this.series?.hits.inc({ cache: this.cache, tier, state: 'fresh' });
    this.series?.saved.inc({ cache: this.cache }, savedMs / 1000);
  }

  stale(tier: HitTier, reason: StaleReason, savedMs: number): void {
    this.add('staleServed');
    this.add('savedMs', savedMs);
    this.series?.hits.inc({ cache: this.cache, tier, state: 'stale' });
    this.series?.stale.inc({ cache: this.cache, reason });
    this.series?.saved.inc({ cache: this.cache }, savedMs / 1000);
  }

  miss(reason: MissReason): void {
    this.add('misses');
    this.series?.misses.inc({ cache: this.cache, reason });
  }

  load(ms: number, ok: boolean): void {
    this.add(ok ? 'loads' : 'loadErrors');
    if (ok) this.add('loadMs', ms);
    this.series?.loads.inc({ cache: this.cache, result: ok ? 'ok' : 'error' });
    this.series?.loadSeconds.observe({ cache: this.cache }, ms / 1000);
  }

  collapsed(scope: 'process' | 'cluster'): void {
    this.add(scope === 'process' ? 'collapsedProcess' : 'collapsedCluster');
    this.series?.collapsed.inc({ cache: this.cache, scope });
  }

  corrupt(): void {
    this.add('corrupt');
    this.series?.corrupt.inc({ cache: this.cache });
  }

  oversize(): void {
    this.add('oversize');
    this.series?.oversize.inc({ cache: this.cache });
  }

  earlyRefresh(): void {
    this.add('earlyRefreshes');
    this.series?.early.inc({ cache: this.cache });
  }

  l2Failure(op: string, reason: string): void {
    this.add('l2Failures');
    this.series?.l2Failures.inc({ cache: this.cache, op, reason });
  }

  breaker(state: string): void {
    this.series?.breaker.inc({ cache: this.cache, state });
  }

  snapshot(): CacheStatsSnapshot {
    return { ...this.local };
  }

  /** Counts since the last call; the engine adds them to the fleet-wide hash in Redis. */
  takeUnflushed(): CacheStatsSnapshot {
    const out = this.unflushed;
    this.unflushed = { ...EMPTY_STATS };
    return out;
  }

  /** Puts counts back when a flush failed, so the fleet view loses nothing. */
  restoreUnflushed(stats: CacheStatsSnapshot): void {
    for (const key of Object.keys(stats) as (keyof CacheStatsSnapshot)[]) this.unflushed[key] += stats[key];
  }
}
