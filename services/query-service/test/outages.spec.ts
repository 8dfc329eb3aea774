import { TieredCache } from '@casebook/cache';
import {
  latencyProxy,
  RedisServer,
  TEST_PG_ADMIN_URL,
  testDataSource,
  useTestEnvironment,
  waitFor,
} from '@casebook/testing';
import { Client, escapeIdentifier } from 'pg';
import type { DataSource } from 'typeorm';
import { DataVersions, loadSales } from '../src';
import {
  ask,
  bootQueryService,
  dataSourceOf,
  principals,
  type QueryServiceApp,
  seedSmallWarehouse,
  versionsSettled,
} from './helpers';

const env = useTestEnvironment('query-service');
const admin = principals.admin();

describe('when Redis is slow or stopped (Q18.2)', () => {
  let redis: RedisServer;
  let proxy: Awaited<ReturnType<typeof latencyProxy>>;
  let t: QueryServiceApp;

  beforeAll(async () => {
    redis = await RedisServer.start();
    proxy = await latencyProxy(redis.port);
    t = await bootQueryService(
      env.env({ WARMING_ENABLED: 'false', REDIS_URL: proxy.url, QUERY_CACHE_L2_BUDGET_MS: '100' }),
    );
    await seedSmallWarehouse(dataSourceOf(t));
    await versionsSettled([t]);
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await redis?.stop();
  });

  it('When Redis answers slower than its budget, then answers come from L1 and the warehouse without waiting for it', async () => {
    const warm = await ask(t, { question: 'revenue by region in 2024' }, admin);
    expect(warm.status).toBe(200);
    proxy.setDelay(3_000);

    const started = performance.now();
    const cached = await ask(t, { question: 'revenue by region in 2024' }, admin);
    const fresh = [];
    for (const quarter of [1, 2, 3, 4]) fresh.push(await ask(t, { question: `units in Q${quarter} 2024` }, admin));
    const elapsed = performance.now() - started;

    expect(cached.headers['cache-status']).toMatch(/^casebook; hit; ttl=\d+; detail="l1"/);
    expect(fresh.every((r) => r.status === 200 && r.body.rows.length === 1)).toBe(true);
    // Five answers behind a 3 s network: each waits at most the 100 ms budget per Redis call until the breaker
    // opens, then not at all. (Generous bound: the machine is shared; waiting for Redis would take 15 s.)
    expect(elapsed).toBeLessThan(2_500);
    expect(t.app.get(TieredCache).l2Usable).toBe(false);
    proxy.setDelay(0);
  });

  it('When Redis is stopped, then answers keep coming and readiness reports Redis degraded, not the service down', async () => {
    await redis.stop();

    const answer = await ask(t, { question: 'orders by segment in H1 2024' }, admin);
    const ready = await t.http.get('/health/ready');

    expect(answer.status).toBe(200);
    expect(answer.headers['cache-status']).toMatch(/^casebook; fwd=miss/);
    expect(ready.status).toBe(200);
  });

  it('When Redis comes back, then answers are cached in it again', async () => {
    await redis.start();
    await waitFor(() => t.app.get(TieredCache).l2Usable, { timeoutMs: 20_000, message: 'L2 never came back' });

    await ask(t, { question: 'cost by category in Q2 2024' }, admin);
    await waitFor(async () => (await t.app.get(TieredCache).admin.scanPrefix('qc:', '0', 100)).keys.length > 0, {
      message: 'nothing stored in Redis',
    });
  });
});

describe('when the warehouse is down (Q16.4)', () => {
  let t: QueryServiceApp;
  let loader: DataSource;

  // Only this file's own database is made unavailable; the shared Postgres server keeps running.
  async function setWarehouseAvailable(available: boolean): Promise<void> {
    const adminClient = new Client({ connectionString: TEST_PG_ADMIN_URL });
    await adminClient.connect();
    try {
      const name = env.database.name;
      await adminClient.query(
        'ALTER DATABASE ' + escapeIdentifier(name) + ' ALLOW_CONNECTIONS ' + (available ? 'true' : 'false'),
      );
      if (!available) {
        await adminClient.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      }
    } finally {
      await adminClient.end();
    }
  }

  beforeAll(async () => {
    t = await bootQueryService(env.env({ WARMING_ENABLED: 'false', WAREHOUSE_BREAKER_OPEN_MS: '500' }));
    await seedSmallWarehouse(dataSourceOf(t));
    await versionsSettled([t]);
    loader = await testDataSource(env.database.url).initialize();
  });
  afterAll(async () => {
    await setWarehouseAvailable(true);
    await loader?.destroy().catch(() => undefined);
    await t?.close();
  });

  it('When a load landed and then the warehouse went down, then the last answer is served, marked stale', async () => {
    const before = await ask(t, { question: 'revenue this year' }, admin);
    const version = t.app.get(DataVersions).versionOf('sales');
    const now = Date.now();
    await loadSales(loader, { kind: 'incremental', rows: 50, from: new Date(now - 600_000), to: new Date(now) });
    await waitFor(() => t.app.get(DataVersions).versionOf('sales') > version, { message: 'the load was not heard' });

    await setWarehouseAvailable(false);
    const stale = await ask(t, { question: 'revenue this year' }, admin);

    expect(stale.status).toBe(200);
    expect(stale.headers['cache-status']).toMatch(
      /^casebook; fwd=stale; fwd-status=503; ttl=-?\d+; detail="stale-if-error"/,
    );
    expect(stale.body.freshness).toMatchObject({ state: 'stale', reason: 'warehouse-unavailable' });
    expect(stale.body.rows).toEqual(before.body.rows);
  });

  it('When nothing stale exists for the question, then 503 with Retry-After', async () => {
    const res = await ask(t, { question: 'units by product in Q4 2024' }, admin);

    expect(res.status).toBe(503);
    expect(res.body.code).toBe('WAREHOUSE_UNAVAILABLE');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('When the warehouse is back, then the answer is recomputed and fresh again', async () => {
    await setWarehouseAvailable(true);

    await waitFor(
      async () => (await ask(t, { question: 'revenue this year' }, admin)).body.freshness?.state === 'fresh',
      { timeoutMs: 15_000, message: 'never fresh again' },
    );
  });
});
