import { TieredCache, type TieredCacheOptions } from '@casebook/cache';
import { seededRandom } from '@casebook/ml';

/** Ranks 0…n-1 drawn with P(rank k) ∝ 1/(k+1)^s, by binary search over the cumulative weights. */
export function zipfSampler(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k += 1) cdf[k] = sum += 1 / (k + 1) ** s;
  return () => {
    const u = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export interface ZipfOptions {
  /** Distinct questions (default 10,000). */
  questions: number;
  /** Zipf exponent (default 1.0). */
  exponent: number;
  /** Requests per simulated hour; a warehouse load lands every simulated hour (default 10,000). */
  requestsPerHour: number;
  /**
   * Every `volatileEvery`-th question asks about the current period ("revenue today", "this month"), so
   * each hourly load outdates it; the others ask about closed periods, which loads never touch.
   */
  volatileEvery: number;
  /** After each load, recompute this many of the most asked volatile questions (0 = no warming). */
  warmTop: number;
  seed: number;
  /**
   * Q14.3: the share of questions an admission classifier wrongly refuses to cache (false negatives): their
   * answers are computed and returned but never stored (default 0).
   */
  falseNegativeShare?: number;
  /** Engine settings (L1 only by default; the bench passes a Redis for L2). */
  cache?: Partial<TieredCacheOptions>;
}

export const DEFAULT_ZIPF: ZipfOptions = {
  questions: 10_000,
  exponent: 1,
  requestsPerHour: 10_000,
  volatileEvery: 10,
  warmTop: 100,
  seed: 42,
};

export interface ZipfReport {
  requests: number;
  hours: number;
  hits: number;
  misses: number;
  hitRatio: number;
  /** After the first simulated day (the cache starts empty). */
  steadyHitRatio: number;
  /** What the warehouse answered with the cache: misses plus warming. */
  warehouseQueries: number;
  warmingQueries: number;
  /** Without a cache, every request is a warehouse query. */
  warehouseQueriesWithoutCache: number;
}

const HOUR = 3_600_000;

/**
 * Q12.1, Q15, Q19.1 in one workload: 10,000 distinct questions asked with Zipf popularity through the
 * engine, one warehouse load per simulated hour (outdating only the questions about the current period,
 * as the data-change journal does in the service), and warming of the most asked ones after each load.
 * The clock is simulated, so a day of traffic runs in seconds.
 */
export class ZipfSimulation {
  readonly cache: TieredCache;
  private readonly next: () => number;
  private now = Date.UTC(2026, 0, 1);
  private version = 1;
  private served = 0;
  private readonly counts = new Map<number, number>();
  private report = { requests: 0, hits: 0, misses: 0, steadyHits: 0, steadyRequests: 0, loads: 0, warming: 0 };

  constructor(private readonly options: ZipfOptions = DEFAULT_ZIPF) {
    const random = seededRandom(options.seed);
    this.next = zipfSampler(options.questions, options.exponent, random);
    this.cache = new TieredCache({
      name: 'zipf',
      statsFlushMs: 0,
      xfetchBeta: 0,
      ...options.cache,
      clock: () => this.now,
    });
  }

  private volatile(rank: number): boolean {
    return rank % this.options.volatileEvery === 0;
  }

  private refused(rank: number): boolean {
    // A fixed, well-spread subset of questions (Knuth's multiplicative hash), the same on every run.
    return (((rank + 1) * 2_654_435_761) >>> 0) % 1_000 < (this.options.falseNegativeShare ?? 0) * 1_000;
  }

  private entryOptions(rank: number) {
    // Closed periods were last changed at version 1; the current period changes with every load.
    return {
      ttlMs: 24 * HOUR,
      graceMs: 5 * 60_000,
      dataVersion: this.volatile(rank) ? this.version : 1,
      stampVersion: this.version,
      store: !this.refused(rank),
    };
  }

  private load = async (): Promise<{ rows: number[][] }> => {
    this.report.loads += 1;
    return { rows: [[1, 2, 3, 4]] };
  };

  /** One user request. */
  async request(): Promise<void> {
    if (this.served > 0 && this.served % this.options.requestsPerHour === 0) await this.hourPasses();
    this.served += 1;
    const rank = this.next();
    this.counts.set(rank, (this.counts.get(rank) ?? 0) + 1);
    const result = await this.cache.getOrLoad(`q:${rank}`, this.load, this.entryOptions(rank));
    const hit = result.outcome !== 'miss';
    this.report.requests += 1;
    if (hit) this.report.hits += 1;
    else this.report.misses += 1;
    if (this.served > 24 * this.options.requestsPerHour) {
      this.report.steadyRequests += 1;
      if (hit) this.report.steadyHits += 1;
    }
  }

  /** A load lands: the data version moves on, then warming recomputes the most asked volatile questions. */
  private async hourPasses(): Promise<void> {
    this.now += HOUR;
    this.version += 1;
    if (this.options.warmTop === 0) return;
    const top = [...this.counts.entries()]
      .filter(([rank]) => this.volatile(rank))
      .sort((a, b) => b[1] - a[1])
      .slice(0, this.options.warmTop);
    const before = this.report.loads;
    for (const [rank] of top) await this.cache.getOrLoad(`q:${rank}`, this.load, this.entryOptions(rank));
    this.report.warming += this.report.loads - before;
    // Decay: older hours count half.
    for (const [rank, count] of this.counts) this.counts.set(rank, count / 2);
  }

  async run(requests: number): Promise<ZipfReport> {
    for (let i = 0; i < requests; i += 1) await this.request();
    return this.summary();
  }

  summary(): ZipfReport {
    const r = this.report;
    return {
      requests: r.requests,
      hours: Math.floor(this.served / this.options.requestsPerHour),
      hits: r.hits,
      misses: r.misses,
      hitRatio: r.requests === 0 ? 0 : r.hits / r.requests,
      steadyHitRatio: r.steadyRequests === 0 ? 0 : r.steadyHits / r.steadyRequests,
      warehouseQueries: r.loads,
      warmingQueries: r.warming,
      warehouseQueriesWithoutCache: r.requests,
    };
  }
}
