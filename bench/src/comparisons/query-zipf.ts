import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { seededRandom, shuffleInPlace } from '@casebook/ml';
import { createQueryDataSource, loadQueryConfig, loadSales } from '@casebook/query-service';
import type { DataSource } from 'typeorm';
import { detectPinning } from '../harness/pinning';
import { startServer } from '../harness/server-process';
import type { HttpContender } from '../harness/types';
import { BENCH_REGION_HEADER } from './bench-principal';
import { zipfSampler } from './cache-zipf';

/**
 * Q19.1 through the real path: questions as people type them (paraphrases, synonyms, relative periods)
 * sent to a running query-service over HTTP, so the figure includes what the engine-only simulation
 * (`cache-zipf.ts`) assumes away — the question parser and canonical keys, the caller's scope in the key,
 * partial hits, invalidation from the warehouse's change journal after each real load, and the warming
 * job that the load's NOTIFY starts. Time is real: a "round" is a load of new sales followed by a round of
 * questions, as an hourly load would be followed by an hour of traffic.
 */

export interface QueryZipfOptions {
  /** Rounds after the first (each starts with a warehouse load). */
  rounds: number;
  questionsPerRound: number;
  /** Zipf exponent over the question intents. */
  exponent: number;
  /** Share of askers who are region-scoped analysts (EMEA or APAC) rather than global admins. */
  scopedShare: number;
  /** Requests in flight at once. */
  concurrency: number;
  seed: number;
}

export const DEFAULT_QUERY_ZIPF: QueryZipfOptions = {
  rounds: 12,
  questionsPerRound: 2_000,
  exponent: 1,
  scopedShare: 0.3,
  concurrency: 8,
  seed: 42,
};

/** One thing a person wants to know, in the several ways people ask it. */
export interface Intent {
  phrasings: string[];
  /** About the current period ("today", "this month"): each load outdates it. */
  volatile: boolean;
  /** Names a region, so a region-scoped analyst of another region may not ask it. */
  region?: string;
}

const METRICS: string[][] = [
  ['revenue', 'sales', 'turnover'],
  ['units sold', 'units', 'quantity'],
  ['profit', 'gross profit', 'earnings'],
  ['orders', 'number of orders', 'transactions'],
  ['margin', 'profit margin'],
  ['cost', 'cogs', 'cost of goods sold'],
  ['average order value', 'AOV'],
];
const GROUPS: string[][] = [
  [''],
  ['by region', 'per region'],
  ['by category', 'per product category'],
  ['by segment', 'per customer segment'],
  ['by month', 'monthly'],
];
const FILTERS: { words: string[]; region?: string }[] = [
  { words: [''] },
  { words: ['in EMEA', 'for Europe'], region: 'EMEA' },
  { words: ['in APAC', 'for asia pacific'], region: 'APAC' },
  { words: ['for electronics', 'for electronic'] },
  // Two members: answered from the single-member parts when those are cached (a partial hit, Q11.3).
  { words: ['for electronics and toys', 'for toys and electronics'] },
  { words: ['for toys'] },
  { words: ['for enterprise customers', 'for corporate customers'] },
];
const PERIODS: { words: string[]; volatile: boolean }[] = [
  { words: ['in 2023', 'for 2023', 'during 2023'], volatile: false },
  { words: ['in Q1 2024', 'for Jan-Mar 2024', 'in the first quarter of 2024'], volatile: false },
  { words: ['in H1 2023', 'in the first half of 2023'], volatile: false },
  { words: ['in March 2024', 'for mar 2024'], volatile: false },
  { words: ['on 2024-03-15', 'for 2024-03-15'], volatile: false },
  { words: ['last month', 'in the previous month'], volatile: false },
  { words: ['today', 'so far today'], volatile: true },
  { words: ['this month', 'in the current month'], volatile: true },
  { words: ['last 7 days', 'over the past seven days'], volatile: true },
  { words: ['year to date', 'YTD'], volatile: true },
];

/**
 * The intents, in a seeded random popularity order (rank 0 is the most asked), so popularity is not
 * tied to how a question is built. Monthly grouping is left out for single days.
 */
export function questionIntents(seed: number): Intent[] {
  const intents: Intent[] = [];
  for (const metric of METRICS)
    for (const group of GROUPS)
      for (const filter of FILTERS)
        for (const period of PERIODS) {
          if (group[0] === 'by month' && (period.words[0]!.startsWith('on ') || period.words[0] === 'today')) continue;
          const phrasings: string[] = [];
          for (let i = 0; i < 3; i += 1) {
            const pick = <T>(list: readonly T[]): T => list[i % list.length]!;
            const groupWords = pick(group);
            const words =
              groupWords === 'monthly'
                ? ['monthly', pick(metric), pick(filter.words), pick(period.words)]
                : [pick(metric), groupWords, pick(filter.words), pick(period.words)];
            phrasings.push(words.filter((w) => w !== '').join(' '));
          }
          intents.push({ phrasings: [...new Set(phrasings)], volatile: period.volatile, region: filter.region });
        }
  return shuffleInPlace(intents, seededRandom(seed));
}

export interface QueryZipfReport {
  requests: number;
  /** Answered without the warehouse: `cache.outcome` hit or stale. */
  hits: number;
  /** Assembled from cached parts plus one warehouse query for the rest. */
  partialHits: number;
  misses: number;
  hitRatio: number;
  /** Hits plus partial hits, over all requests. */
  hitOrPartialRatio: number;
  /** Rounds after the first (the cache starts empty). */
  steadyHitRatio: number;
  /** Refused answers (a scoped analyst asking outside their region), not counted above. */
  refused: number;
  distinctIntents: number;
  distinctPhrasings: number;
  /** Distinct cache keys the answers named. */
  distinctKeys: number;
  loads: number;
  /** Aggregates the warehouse ran during the workload (misses, partial-hit remainders, warming, probes). */
  warehouseQueries?: number;
}

export interface AnswerBody {
  cache?: { key: string; outcome: string; partial?: { cached: number; total: number } };
  freshness?: { dataVersion: number | null };
}

const QUERY_DATABASE = 'casebook_bench_zipf';

/** Starts query-service on its own database (demo warehouse seeded on first start) and runs the workload. */
export async function runQueryZipf(
  repoRoot: string,
  options: QueryZipfOptions = DEFAULT_QUERY_ZIPF,
  log: (line: string) => void = () => undefined,
): Promise<QueryZipfReport> {
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${QUERY_DATABASE}`;
  const prefix = `bench:qzipf:${randomBytes(3).toString('hex')}:`;
  const contender: HttpContender = {
    kind: 'http',
    name: 'query-zipf',
    label: 'query-service on the real path',
    server: {
      command: process.execPath,
      args: [path.join(repoRoot, 'bench', 'dist', 'comparisons', 'cache-server.js')],
      cwd: repoRoot,
      env: { LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl, REDIS_KEY_PREFIX: prefix, WARMING_ENABLED: 'true' },
    },
    readyPath: '/health/ready',
    path: '/v1/queries',
    startTimeoutMs: 300_000,
  };
  const server = await startServer(contender, detectPinning(true));
  const db = createQueryDataSource(loadQueryConfig({ ...process.env, DATABASE_URL: databaseUrl }));
  await db.initialize();
  const warehouseQueries = async (): Promise<number> => {
    const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM warehouse.query_log')) as { n: number }[];
    return n;
  };
  try {
    const before = await warehouseQueries();
    const report = await new QueryWorkload(options, httpAsker(server.baseUrl), loadNow(db), log).run();
    // The probes that wait for each load's version are warehouse queries too (one per load at most).
    return { ...report, warehouseQueries: (await warehouseQueries()) - before };
  } finally {
    await db.destroy();
    await server.stop();
  }
}

/** Asks one question as a global admin (no region) or as an analyst of `region`. */
export type Asker = (question: string, region?: string) => Promise<{ status: number; body: AnswerBody }>;

/** `POST /v1/queries` on the bench entry, which takes the analyst's region from `x-bench-region`. */
export function httpAsker(baseUrl: string): Asker {
  return async (question, region) => {
    const response = await fetch(`${baseUrl}/v1/queries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(region ? { [BENCH_REGION_HEADER]: region } : {}) },
      body: JSON.stringify({ question, limit: 100 }),
    });
    return { status: response.status, body: (await response.json()) as AnswerBody };
  };
}

/** An hourly load as the warehouse would get it: new sales up to now, so "today" changes. */
export function loadNow(db: DataSource, rows = 2_000): () => Promise<number> {
  return async () => {
    const to = new Date();
    const result = await loadSales(db, { kind: 'incremental', rows, from: new Date(to.getTime() - 60_000), to });
    return result.dataVersion;
  };
}

export class QueryWorkload {
  private readonly intents: Intent[];
  private readonly next: () => number;
  private readonly random: () => number;
  private readonly keys = new Set<string>();
  private readonly phrasings = new Set<string>();
  private readonly asked = new Set<number>();
  private totals = { requests: 0, hits: 0, partial: 0, misses: 0, refused: 0, steadyRequests: 0, steadyHits: 0 };
  private loads = 0;

  constructor(
    private readonly options: QueryZipfOptions,
    private readonly asker: Asker,
    private readonly load: () => Promise<number>,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.intents = questionIntents(options.seed);
    this.random = seededRandom(options.seed + 1);
    this.next = zipfSampler(this.intents.length, options.exponent, this.random);
  }

  async run(): Promise<QueryZipfReport> {
    for (let round = 0; round <= this.options.rounds; round += 1) {
      if (round > 0) await this.loadAndWait();
      // The questions of a round are drawn first, so the order is the same whatever the timings.
      const batch = Array.from({ length: this.options.questionsPerRound }, () => this.draw());
      let cursor = 0;
      await Promise.all(
        Array.from({ length: this.options.concurrency }, async () => {
          while (cursor < batch.length) await this.ask(batch[cursor++]!, round > 0);
        }),
      );
      this.log(`query-zipf: round ${round} done, hit ratio so far ${ratio(this.totals.hits, this.totals.requests)}`);
    }
    const t = this.totals;
    return {
      requests: t.requests,
      hits: t.hits,
      partialHits: t.partial,
      misses: t.misses,
      hitRatio: ratio(t.hits, t.requests),
      hitOrPartialRatio: ratio(t.hits + t.partial, t.requests),
      steadyHitRatio: ratio(t.steadyHits, t.steadyRequests),
      refused: t.refused,
      distinctIntents: this.asked.size,
      distinctPhrasings: this.phrasings.size,
      distinctKeys: this.keys.size,
      loads: this.loads,
    };
  }

  private draw(): { question: string; region?: string } {
    const rank = this.next();
    this.asked.add(rank);
    const intent = this.intents[rank]!;
    const question = intent.phrasings[Math.floor(this.random() * intent.phrasings.length)]!;
    // A scoped analyst asks about their own region (or none named); the others are global admins.
    const scoped = this.random() < this.options.scopedShare;
    const region = scoped ? (intent.region ?? (this.random() < 0.5 ? 'EMEA' : 'APAC')) : undefined;
    return { question, region };
  }

  private async ask(item: { question: string; region?: string }, steady: boolean): Promise<void> {
    const { status, body } = await this.asker(item.question, item.region);
    if (status === 403) {
      this.totals.refused += 1;
      return;
    }
    if (status !== 200 || !body.cache) throw new Error(`"${item.question}" answered ${status}`);
    this.phrasings.add(item.question);
    this.keys.add(body.cache.key);
    const hit = body.cache.outcome !== 'miss';
    const partial = !hit && (body.cache.partial?.cached ?? 0) > 0;
    this.totals.requests += 1;
    if (hit) this.totals.hits += 1;
    else if (partial) this.totals.partial += 1;
    else this.totals.misses += 1;
    if (steady) {
      this.totals.steadyRequests += 1;
      if (hit) this.totals.steadyHits += 1;
    }
  }

  /** A load lands; the round starts once the service has moved to the new data version (its NOTIFY). */
  private async loadAndWait(): Promise<void> {
    const version = await this.load();
    this.loads += 1;
    const deadline = Date.now() + 30_000;
    for (;;) {
      // A probe nobody else asks, so it moves no counter the report reads.
      const { body } = await this.asker('revenue today for books');
      if ((body.freshness?.dataVersion ?? 0) >= version) return;
      if (Date.now() > deadline) throw new Error(`query-service did not reach data version ${version}`);
      await delay(50);
    }
  }
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 1000;
}
