import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { TieredCache } from '@casebook/cache';
import Redis from 'ioredis';
import type { Comparison, Contender, FunctionContender, HttpContender, PreparedFunction } from '../harness/types';
import type { ComparisonContext } from './baseline';
import { DEFAULT_ZIPF, ZipfSimulation } from './cache-zipf';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const CONCURRENCY = 32;
/** Keys the get contenders rotate over, all cached: the bench measures the cost of a hit. */
const KEYS = 1_000;
/** A small aggregate, like "revenue by region" (~0.6 KB of JSON). */
const VALUE = {
  rows: Array.from({ length: 12 }, (_, i) => [
    `2024-${String(i + 1).padStart(2, '0')}`,
    1_234 + i,
    98_765_432,
    55_443_322,
    417,
  ]),
};
// One day of sales: small enough that the uncached row completes requests within a run at 100 connections
// (a quarter takes ~0.6 s on the 3 M-row warehouse; the load-test scenarios cover the heavier windows).
const QUESTION = JSON.stringify({ question: 'revenue by region on 2024-03-15' });

// bentocache is published as ES modules only and bench compiles to CommonJS: a real dynamic import, which
// TypeScript would otherwise rewrite into require().
const importEsm = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

interface BentoModules {
  BentoCache: new (config: unknown) => {
    getOrSet(options: { key: string; factory: () => unknown; ttl: string; grace: string }): Promise<unknown>;
    disconnectAll(): Promise<void>;
  };
  bentostore: () => {
    useL1Layer(driver: unknown): ReturnType<BentoModules['bentostore']>;
    useL2Layer(driver: unknown): ReturnType<BentoModules['bentostore']>;
    useBus(bus: unknown): ReturnType<BentoModules['bentostore']>;
  };
  memoryDriver: (options: unknown) => unknown;
  redisDriver: (options: unknown) => unknown;
  redisBusDriver: (options: unknown) => unknown;
}

async function bento(): Promise<BentoModules> {
  const [main, memory, redis] = await Promise.all([
    importEsm<Pick<BentoModules, 'BentoCache' | 'bentostore'>>('bentocache'),
    importEsm<Pick<BentoModules, 'memoryDriver'>>('bentocache/drivers/memory'),
    importEsm<Pick<BentoModules, 'redisDriver' | 'redisBusDriver'>>('bentocache/drivers/redis'),
  ]);
  return { ...main, ...memory, ...redis };
}

async function connect(prefix: string): Promise<Redis> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, keyPrefix: prefix, connectionName: 'bench-cache' });
  await redis.connect();
  return redis;
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

function rotation(): () => string {
  let i = 0;
  return () => `k:${(i = (i + 1) % KEYS)}`;
}

const load = async (): Promise<typeof VALUE> => VALUE;

/** casebook's engine: L1 memory (bounded by bytes) + L2 Redis + coherency bus, or L2 only. */
function engine(tiers: 'l1' | 'l2'): FunctionContender {
  return {
    kind: 'function',
    name: `engine-${tiers}`,
    label: tiers === 'l1' ? 'casebook cache: L1 hit (L1 + Redis L2 + bus)' : 'casebook cache: L2 hit (Redis only)',
    concurrency: CONCURRENCY,
    prepare: async (): Promise<PreparedFunction> => {
      const prefix = `benchcache:${randomBytes(3).toString('hex')}:`;
      const redis = await connect(prefix);
      const cache = new TieredCache({
        name: 'bench',
        redis,
        l1: tiers === 'l1' ? { maxBytes: 64 * 1024 * 1024, ttlMs: 60_000 } : false,
        // Generous, like the other Redis benches: a stall of the shared machine must not turn hits into bypasses.
        l2BudgetMs: 1_000,
        xfetchBeta: 0,
        statsFlushMs: 0,
      });
      await cache.start();
      const options = { ttlMs: 3_600_000, graceMs: 300_000, tags: ['dataset:sales'] };
      const next = rotation();
      for (let i = 0; i < KEYS; i += 1) await cache.getOrLoad(`k:${i}`, load, options);
      await cache.flushStats();
      return {
        call: async () => {
          const result = await cache.getOrLoad(next(), load, options);
          if (result.outcome !== 'hit') throw new Error(`not a hit: ${result.outcome}`);
        },
        dispose: async () => {
          await cache.close();
          redis.disconnect();
          await deleteKeys(prefix);
        },
      };
    },
  };
}

/** bentocache with the same layers: memory L1 (objects kept as they are) + Redis L2 + Redis bus, or L2 only. */
function bentocache(tiers: 'l1' | 'l2'): FunctionContender {
  return {
    kind: 'function',
    name: `bentocache-${tiers}`,
    label: tiers === 'l1' ? 'bentocache 1.6: L1 hit (memory + Redis + bus)' : 'bentocache 1.6: L2 hit (Redis only)',
    concurrency: CONCURRENCY,
    prepare: async (): Promise<PreparedFunction> => {
      const b = await bento();
      const prefix = `benchbento:${randomBytes(3).toString('hex')}:`;
      const redis = await connect(prefix);
      let store = b.bentostore();
      if (tiers === 'l1') store = store.useL1Layer(b.memoryDriver({ maxItems: 100_000, serialize: false }));
      store = store.useL2Layer(b.redisDriver({ connection: redis }));
      if (tiers === 'l1') store = store.useBus(b.redisBusDriver({ connection: { host: '127.0.0.1', port: 6379 } }));
      const cache = new b.BentoCache({ default: 'tiered', stores: { tiered: store } });
      const next = rotation();
      for (let i = 0; i < KEYS; i += 1) await cache.getOrSet({ key: `k:${i}`, factory: load, ttl: '1h', grace: '5m' });
      return {
        call: async () => {
          await cache.getOrSet({ key: next(), factory: load, ttl: '1h', grace: '5m' });
        },
        dispose: async () => {
          await cache.disconnectAll();
          redis.disconnect();
          await deleteKeys(prefix);
        },
      };
    },
  };
}

/** Plain cache-aside with ioredis: GET + JSON.parse, SET EX on a miss. */
function cacheAside(): FunctionContender {
  return {
    kind: 'function',
    name: 'ioredis-aside',
    label: 'plain cache-aside with ioredis (GET + JSON.parse)',
    concurrency: CONCURRENCY,
    prepare: async (): Promise<PreparedFunction> => {
      const prefix = `benchaside:${randomBytes(3).toString('hex')}:`;
      const redis = await connect(prefix);
      for (let i = 0; i < KEYS; i += 1) await redis.set(`k:${i}`, JSON.stringify(VALUE), 'EX', 3_600);
      const next = rotation();
      return {
        call: async () => {
          const key = next();
          const raw = await redis.get(key);
          if (raw) JSON.parse(raw);
          else await redis.set(key, JSON.stringify(await load()), 'EX', 3_600);
        },
        dispose: async () => {
          redis.disconnect();
          await deleteKeys(prefix);
        },
      };
    },
  };
}

/**
 * The Zipf workload through the engine (L1 + Redis L2). Before it is timed, one simulated day and a half
 * runs and its hit ratio and warehouse queries are printed; the timed calls continue the same workload.
 */
function zipf(): FunctionContender {
  return {
    kind: 'function',
    name: 'zipf',
    label: 'casebook cache: Zipf s=1 over 10,000 questions, a load every simulated hour, top-100 warming',
    concurrency: 1,
    prepare: async (): Promise<PreparedFunction> => {
      const prefix = `benchzipf:${randomBytes(3).toString('hex')}:`;
      const redis = await connect(prefix);
      const simulation = new ZipfSimulation({
        ...DEFAULT_ZIPF,
        cache: { redis, l2BudgetMs: 1_000, l1: { maxBytes: 64 * 1024 * 1024, ttlMs: 3_600_000 } },
      });
      await simulation.cache.start();
      const report = await simulation.run(36 * DEFAULT_ZIPF.requestsPerHour);
      const line = (r: typeof report): string =>
        `${r.requests} requests over ${r.hours} simulated hours: hit ratio ${r.hitRatio.toFixed(3)} ` +
        `(after the first day ${r.steadyHitRatio.toFixed(3)}); warehouse queries ${r.warehouseQueries} ` +
        `(${r.warmingQueries} by warming) vs ${r.warehouseQueriesWithoutCache} without the cache ` +
        `(${((1 - r.warehouseQueries / r.warehouseQueriesWithoutCache) * 100).toFixed(1)} % fewer)`;
      console.error(`zipf (untimed, 36 simulated hours): ${line(report)}`);
      // Q14.3: the same workload, L1 only, with and without a classifier that wrongly refuses 10 % of answers.
      for (const share of [0, 0.1]) {
        const policy = new ZipfSimulation({ ...DEFAULT_ZIPF, falseNegativeShare: share });
        const r = await policy.run(36 * DEFAULT_ZIPF.requestsPerHour);
        await policy.cache.close();
        console.error(`zipf (L1 only, ${share * 100} % of answers wrongly refused): ${line(r)}`);
      }
      return {
        call: () => simulation.request(),
        dispose: async () => {
          console.error(`zipf (after the timed runs): ${line(simulation.summary())}`);
          await simulation.cache.close();
          redis.disconnect();
          await deleteKeys(prefix);
        },
      };
    },
  };
}

function queryService(repoRoot: string, name: string, label: string, env: Record<string, string>): HttpContender {
  const entry = path.join(repoRoot, 'bench', 'dist', 'comparisons', 'cache-server.js');
  const contender: HttpContender = {
    kind: 'http',
    name,
    label,
    server: {
      command: process.execPath,
      args: [entry],
      cwd: repoRoot,
      // Its own Redis prefix; warn-level logs (the access log would dominate a route this cheap).
      env: { LOG_LEVEL: 'warn', REDIS_KEY_PREFIX: 'bench:cache:', WARMING_ENABLED: 'false', ...env },
    },
    readyPath: '/health/ready',
    method: 'POST',
    path: '/v1/queries',
    headers: { 'content-type': 'application/json' },
    body: QUESTION,
    // First start migrates the query database and seeds the demo warehouse.
    startTimeoutMs: 180_000,
  };
  if (!existsSync(entry)) contender.skipReason = 'bench/dist/comparisons/cache-server.js not found (pnpm build)';
  return contender;
}

/**
 * Case study 2 in one run: the cached answer endpoint against B2 (the Nest + Fastify floor), the same
 * question with L1 off (a Redis hit) and with the cache off (the warehouse every time); the engine's hit
 * path against bentocache and plain cache-aside on the same Redis; and the Zipf workload.
 */
export function cacheComparison(context: ComparisonContext): Comparison {
  const b2: HttpContender = {
    kind: 'http',
    name: 'B2',
    label: 'Nest + Fastify hello world',
    server: { command: process.execPath, args: [path.resolve(__dirname, '..', 'baselines', 'b2-nest-fastify.js')] },
    readyPath: '/',
    path: '/',
  };
  const contenders: Contender[] = [
    b2,
    queryService(context.repoRoot, 'query-l1', 'query-service POST /v1/queries, answer in L1', {}),
    queryService(context.repoRoot, 'query-l2', 'query-service POST /v1/queries, answer in Redis (L1 off)', {
      QUERY_CACHE_L1_BYTES: '0',
    }),
    queryService(context.repoRoot, 'query-uncached', 'query-service POST /v1/queries, cache off (warehouse)', {
      QUERY_CACHE_ENABLED: 'false',
      // 100 connections queue behind 5 warehouse connections: measure throughput, not the bulkhead's 503s.
      WAREHOUSE_QUEUE_LIMIT: '10000',
      WAREHOUSE_QUEUE_TIMEOUT_MS: '120000',
    }),
    engine('l1'),
    bentocache('l1'),
    engine('l2'),
    bentocache('l2'),
    cacheAside(),
    zipf(),
  ];
  return {
    name: 'cache',
    title: 'Query cache: cached answers vs B2, the engine vs bentocache, Zipf hit ratio',
    description:
      'HTTP rows: requests/s of POST /v1/queries (“revenue by region on 2024-03-15”) answered from L1, from Redis ' +
      'and from the warehouse, against B2. ' +
      'Function rows: hits/s of one cache lookup (1,000 cached keys, 0.6 KB values, 32 concurrent callers) for ' +
      'casebook’s engine, bentocache and plain ioredis cache-aside on the same local Redis; their ratio column is ' +
      'against B2 only by the harness’s convention, compare them with each other. The zipf row prints its hit ' +
      'ratio and warehouse queries (with and without the cache) on stderr.',
    reference: 'B2',
    contenders,
  };
}
