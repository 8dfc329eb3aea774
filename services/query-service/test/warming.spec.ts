import { TieredCache } from '@casebook/cache';
import { testDataSource, useTestEnvironment, waitFor } from '@casebook/testing';
import type { DataSource } from 'typeorm';
import { DataVersions, loadSales, QueryFrequency, WarmingQueue } from '../src';
import {
  as,
  ask,
  bootSeededQueryService,
  dataSourceOf,
  principals,
  type QueryServiceApp,
  warehouseQueries,
} from './helpers';

const env = useTestEnvironment('query-service');
let t: QueryServiceApp;
let loader: DataSource;
const admin = principals.admin();

beforeAll(async () => {
  t = await bootSeededQueryService(env.env({ WARMING_ENABLED: 'true', WARMING_TOP_N: '2' }));
  loader = await testDataSource(env.database.url).initialize();
});
afterAll(async () => {
  await loader?.destroy();
  await t?.close();
});

describe('cache warming (Q15)', () => {
  it('When questions are asked, then the ranking is decayed frequency × warehouse cost', async () => {
    const frequency = t.app.get(QueryFrequency);
    const now = Date.now();
    const data = { dataset: 'sales' as const, groupBy: [], filters: {}, time: null, timeZone: null };
    // cheap-but-frequent: 10 × 5 ms; costly-rare: 2 × 100 ms; old-frequent: 12 asks a day ago (decayed).
    for (let i = 0; i < 10; i += 1) frequency.record('ranking', 'cheap', now);
    for (let i = 0; i < 2; i += 1) frequency.record('ranking', 'costly', now);
    for (let i = 0; i < 12; i += 1) frequency.record('ranking', 'old', now - 86_400_000);
    for (const [key, cost] of [
      ['cheap', 5],
      ['costly', 100],
      ['old', 50],
    ] as const) {
      frequency.describe('ranking', key, { data, scope: { region: null } }, cost);
    }

    const top = await waitFor(async () => {
      const ranked = await frequency.top('ranking', 3, now);
      return ranked.length === 3 ? ranked : null;
    });

    expect(top.map((c) => c.key)).toEqual(['costly', 'cheap', 'old']);
    expect(top[2]!.frequency).toBeLessThan(12 / 8);
  });

  it('When a load lands, then the most asked questions are recomputed before anyone asks again', async () => {
    for (let i = 0; i < 5; i += 1) await ask(t, { question: 'revenue this month' }, admin);
    for (let i = 0; i < 3; i += 1) await ask(t, { question: 'revenue by region this month' }, admin);
    await ask(t, { question: 'units by category this month' }, admin);
    const before = t.app.get(DataVersions).versionOf('sales');

    const now = Date.now();
    await loadSales(loader, { kind: 'incremental', rows: 100, from: new Date(now - 600_000), to: new Date(now) });
    const version = await waitFor(() => {
      const v = t.app.get(DataVersions).versionOf('sales');
      return v > before ? v : 0;
    });
    const job = await waitFor(
      async () => {
        const status = await t.app.get(WarmingQueue).status(`after-load-sales-${version}`);
        return status?.state === 'completed' ? status : null;
      },
      { timeoutMs: 20_000, message: 'the warming job never completed' },
    );
    const queriesAfterWarming = await warehouseQueries(dataSourceOf(t));
    const warmed = await ask(t, { question: 'revenue this month' }, admin);
    const notWarmed = await ask(t, { question: 'units by category this month' }, admin);

    expect(job.result).toMatchObject({ considered: 2, recomputed: 2, failed: 0 });
    expect(warmed.headers['cache-status']).toMatch(/^casebook; hit/);
    expect(warmed.body.freshness.dataVersion).toBe(version);
    expect(notWarmed.headers['cache-status']).toMatch(/^casebook; fwd=stale/);
    expect(await warehouseQueries(dataSourceOf(t))).toBe(queriesAfterWarming + 1);
  });

  it('When an admin asks to warm the top N, then a job runs and reports what it did', async () => {
    const queued = await t.http.post('/v1/admin/cache/warmups').set(as(admin)).send({ topN: 5 });

    expect(queued.status).toBe(202);
    expect(queued.headers.location).toBe(`/v1/admin/cache/warmups/${queued.body.id}`);
    const done = await waitFor(
      async () => {
        const res = await t.http.get(queued.headers.location!).set(as(admin));
        return res.body.state === 'completed' ? res.body : null;
      },
      { timeoutMs: 20_000, message: 'the job never completed' },
    );
    // Nothing changed since the last warming: every candidate is already fresh.
    expect(done.result).toMatchObject({ considered: 3, alreadyFresh: expect.any(Number), failed: 0 });
    expect(t.app.get(TieredCache).localStats().loads).toBeGreaterThan(0);
  });
});
