import { TEST_REDIS_URL, testDataSource, useTestEnvironment, waitFor } from '@casebook/testing';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { DataVersions, loadSales, WarehouseListener } from '../src';
import {
  as,
  ask,
  bootQueryService,
  bootSeededQueryService,
  dataSourceOf,
  principals,
  type QueryServiceApp,
  warehouseQueries,
} from './helpers';

const env = useTestEnvironment('query-service');
let t: QueryServiceApp;
/** Another system's connection to the warehouse: the loader, an ETL job, a DBA with psql. */
let other: DataSource;
const admin = principals.admin();

beforeAll(async () => {
  t = await bootSeededQueryService(env.env({ WARMING_ENABLED: 'false' }));
  other = await testDataSource(env.database.url).initialize();
});
afterAll(async () => {
  await other?.destroy();
  await t?.close();
});

const versionNow = (): number => t.app.get(DataVersions).versionOf('sales');

describe('invalidation without polling (Q12.4)', () => {
  it('When a load lands, then its NOTIFY makes the next read of an affected range recompute, and only that', async () => {
    const thisMonth = await ask(t, { question: 'revenue this month' }, admin);
    const q1 = await ask(t, { question: 'revenue in Q1 2024' }, admin);
    const before = versionNow();

    const now = Date.now();
    await loadSales(other, { kind: 'incremental', rows: 200, from: new Date(now - 1_800_000), to: new Date(now) });
    await waitFor(() => versionNow() > before, { message: 'the NOTIFY never arrived' });
    const afterLoad = await ask(t, { question: 'revenue this month' }, admin);
    const q1Again = await ask(t, { question: 'revenue in Q1 2024' }, admin);

    expect(afterLoad.headers['cache-status']).toMatch(/^casebook; fwd=stale; stored/);
    expect(afterLoad.body.freshness.dataVersion).toBeGreaterThan(thisMonth.body.freshness.dataVersion);
    expect(afterLoad.body.rows[0].revenue).toBeGreaterThan(thisMonth.body.rows[0].revenue);
    // Q12.1: the load touched the last half hour; Q1 2024 is not in it and stays a hit.
    expect(q1Again.headers['cache-status']).toMatch(/^casebook; hit/);
    expect(q1Again.body.rows).toEqual(q1.body.rows);
  });

  it('When another system UPDATEs facts, then the trigger’s NOTIFY makes the affected answer recompute', async () => {
    const q1 = await ask(t, { question: 'revenue in Q1 2024' }, admin);
    const q3 = await ask(t, { question: 'revenue in Q3 2024' }, admin);
    const before = versionNow();

    const [, touched] = (await other.query(
      `UPDATE warehouse.fact_sales SET revenue = revenue + 1000
        WHERE sold_at >= '2024-02-01' AND sold_at < '2024-02-02'`,
    )) as [unknown, number];
    await waitFor(() => versionNow() > before, { message: 'the NOTIFY never arrived' });
    const q1After = await ask(t, { question: 'revenue in Q1 2024' }, admin);
    const q3After = await ask(t, { question: 'revenue in Q3 2024' }, admin);

    expect(touched).toBeGreaterThan(0);
    expect(q1After.headers['cache-status']).toMatch(/^casebook; fwd=stale; stored/);
    expect(q1After.body.rows[0].revenue).toBeCloseTo(q1.body.rows[0].revenue + 1000 * touched, 2);
    expect(q3After.headers['cache-status']).toMatch(/^casebook; hit/);
    expect(q3After.body.rows).toEqual(q3.body.rows);
  });

  it('When Postgres drops the LISTEN connection, then it reconnects and later changes still arrive', async () => {
    const listener = t.app.get(WarehouseListener);
    await other.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'casebook-query-listener'",
    );
    await waitFor(() => !listener.connected, { message: 'the listener never noticed' }).catch(() => undefined);
    await waitFor(() => listener.connected, { timeoutMs: 15_000, message: 'the listener never reconnected' });
    const before = versionNow();

    await other.query(
      "DELETE FROM warehouse.fact_sales WHERE sold_at >= '2024-03-01' AND sold_at < '2024-03-01 06:00'",
    );

    await waitFor(() => versionNow() > before, { message: 'no notification after the reconnect' });
  });
});

describe('tag invalidation (Q20.3)', () => {
  it('When category electronics is invalidated, then exactly the entries that may contain it recompute', async () => {
    const questions = {
      electronics: 'revenue for electronics in 2024',
      toys: 'revenue for toys in 2024',
      everything: 'revenue by category in 2024',
    };
    const keys: Record<string, string> = {};
    for (const [name, question] of Object.entries(questions)) {
      keys[name] = (await ask(t, { question }, admin)).body.cache.key;
    }
    const body = { members: [{ dimension: 'category', value: 'electronics' }], reason: 'prices corrected upstream' };

    // Entries reach Redis (and its tag index) just after the answer is sent; wait until all three are there.
    const dryRun = await waitFor(
      async () => {
        const res = await t.http
          .post('/v1/admin/cache/invalidations')
          .set(as(admin))
          .send({ ...body, dryRun: true });
        const sample: string[] = res.body.affected?.sample ?? [];
        return sample.includes(keys.electronics!) && sample.includes(keys.everything!) ? res : undefined;
      },
      { timeoutMs: 10_000, message: 'the tagged entries never reached the tag index' },
    );
    const stillHit = await ask(t, { question: questions.electronics }, admin);
    const real = await t.http.post('/v1/admin/cache/invalidations').set(as(admin)).send(body);
    const before = await warehouseQueries(dataSourceOf(t));
    const after = Object.fromEntries(
      await Promise.all(
        Object.entries(questions).map(async ([name, q]) => [name, await ask(t, { question: q }, admin)]),
      ),
    );

    expect(dryRun.status).toBe(200);
    expect(dryRun.body).toMatchObject({ dryRun: true, tags: ['category:electronics', 'category:*'] });
    expect(dryRun.body.affected.sample).toEqual(expect.arrayContaining([keys.electronics, keys.everything]));
    expect(dryRun.body.affected.sample).not.toContain(keys.toys);
    expect(stillHit.headers['cache-status']).toMatch(/^casebook; hit/);
    expect(real.body).toMatchObject({ dryRun: false, invalidatedAt: expect.any(String) });
    expect(after.electronics.headers['cache-status']).toMatch(/^casebook; fwd=stale; stored/);
    expect(after.everything.headers['cache-status']).toMatch(/^casebook; fwd=stale; stored/);
    expect(after.toys.headers['cache-status']).toMatch(/^casebook; hit/);
    expect(await warehouseQueries(dataSourceOf(t))).toBe(before + 2);
    // Both are audit events in this service's chain, the dry run marked as such (Q6.1).
    const audited = await waitFor(
      async () => {
        const rows: { details: { dryRun: boolean; keys: number }; actor_type: string }[] = await dataSourceOf(t).query(
          "SELECT details, actor_type FROM audit_events WHERE action = 'admin.cache.invalidated' ORDER BY seq",
        );
        return rows.length === 2 ? rows : undefined;
      },
      { message: 'the invalidations were not audited' },
    );
    expect(audited.map((row) => row.details.dryRun)).toEqual([true, false]);
    expect(audited[1]!.details.keys).toBe(real.body.affected.count);
  });

  it('When a non-admin tries to invalidate, then 403 and nothing changes', async () => {
    const res = await t.http
      .post('/v1/admin/cache/invalidations')
      .set(as(principals.analyst('EMEA')))
      .send({ tags: ['dataset:sales'], reason: 'curious' });

    expect(res.status).toBe(403);
  });
});

describe('corrupted entries (Q18.1)', () => {
  it('When an entry in Redis holds invalid JSON, then it is detected, deleted, counted, and the answer recomputed', async () => {
    const noL1 = await bootQueryService(env.env({ WARMING_ENABLED: 'false', QUERY_CACHE_L1_BYTES: '0' }));
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const good = await ask(noL1, { question: 'units by region in 2024' }, admin);
      const stored = `${env.redisPrefix}query:{${good.body.cache.key}}`;
      await waitFor(async () => (await redis.exists(stored)) === 1, { message: 'entry never stored' });
      await redis.set(stored, '{"rows": [["EMEA", 12');

      const healed = await ask(noL1, { question: 'units by region in 2024' }, admin);
      const metrics = await noL1.http.get('/metrics');

      expect(healed.status).toBe(200);
      expect(healed.headers['cache-status']).toMatch(/^casebook; fwd=miss; stored/);
      expect(healed.body.rows).toEqual(good.body.rows);
      expect(metrics.text).toMatch(/cache_corrupt_entries_total\{[^}]*cache="query"[^}]*\} 1/);
      expect(metrics.text).toMatch(/cache_misses_total\{[^}]*reason="corrupt"[^}]*\} 1/);
      await waitFor(
        async () =>
          /hit/.test((await ask(noL1, { question: 'units by region in 2024' }, admin)).headers['cache-status']!),
        {
          message: 'the healed entry was never stored again',
        },
      );
    } finally {
      redis.disconnect();
      await noL1.close();
    }
  });
});
