import { REQUIRED_PERMISSION_KEY } from '@casebook/auth';
import { IS_PUBLIC_KEY } from '@casebook/platform';
import { useTestEnvironment } from '@casebook/testing';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { WarehouseClient } from '../src';
import {
  as,
  ask,
  bootQueryService,
  type QueryServiceApp,
  dataSourceOf,
  principals,
  seedSmallWarehouse,
  warehouseQueries,
} from './helpers';

const env = useTestEnvironment('query-service');
let t: QueryServiceApp;

beforeAll(async () => {
  t = await bootQueryService(env.env({ WARMING_ENABLED: 'false' }));
  await seedSmallWarehouse(dataSourceOf(t));
});
afterAll(() => t?.close());

describe('POST /v1/queries', () => {
  it('When a question is asked twice, then the first answer is computed and stored, the second is a hit', async () => {
    const before = await warehouseQueries(dataSourceOf(t));
    const first = await ask(t, { question: 'revenue by category in Q1 2024' }, principals.admin());
    const second = await ask(t, { question: 'sales per category from Jan-Mar 2024' }, principals.admin());

    expect(first.status).toBe(200);
    expect(first.headers['cache-status']).toMatch(/^casebook; fwd=uri-miss; stored; ttl=\d+; key="qc:1:sales:/);
    expect(second.headers['cache-status']).toMatch(/^casebook; hit; ttl=\d+; detail="l1"/);
    expect(second.headers.age).toBeDefined();
    expect(first.body.query).toEqual({
      dataset: 'sales',
      metrics: ['revenue'],
      groupBy: ['category'],
      filters: {},
      time: { from: '2024-01-01T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z' },
      timeZone: 'UTC',
    });
    expect(first.body.columns).toEqual(['category', 'revenue']);
    expect(first.body.rows).toHaveLength(8);
    expect(first.body.rows[0]).toEqual({ category: 'beauty', revenue: expect.any(Number) });
    expect(second.body.rows).toEqual(first.body.rows);
    expect(second.body.cache.key).toBe(first.body.cache.key);
    expect(first.body.freshness).toMatchObject({ state: 'fresh', dataVersion: expect.any(Number) });
    expect(await warehouseQueries(dataSourceOf(t))).toBe(before + 1);
  });

  it('When the canonical query is sent instead of the question, then it lands on the same entry', async () => {
    const byQuestion = await ask(t, { question: 'units by region for H1 2024' }, principals.admin());
    const byQuery = await ask(t, { query: byQuestion.body.query }, principals.admin());

    expect(byQuery.status).toBe(200);
    expect(byQuery.body.cache.key).toBe(byQuestion.body.cache.key);
    expect(byQuery.headers['cache-status']).toMatch(/hit/);
  });

  it('When an analyst scoped to EMEA asks, then only EMEA rows come back, under a key of that scope', async () => {
    const analyst = await ask(t, { question: 'revenue by region in 2024' }, principals.analyst('EMEA'));
    const admin = await ask(t, { question: 'revenue by region in 2024' }, principals.admin());

    expect(analyst.body.rows.map((r: { region: string }) => r.region)).toEqual(['EMEA']);
    expect(analyst.body.query.filters).toEqual({ region: ['EMEA'] });
    expect(admin.body.rows.map((r: { region: string }) => r.region)).toEqual(['AMER', 'APAC', 'EMEA', 'LATAM']);
    expect(analyst.body.cache.key).not.toBe(admin.body.cache.key);
    expect(analyst.body.rows[0].revenue).toBe(
      admin.body.rows.find((r: { region: string }) => r.region === 'EMEA').revenue,
    );
  });

  it('When the chatbot worker asks for a user, then the user’s scope applies, not the service’s', async () => {
    const forUser = await ask(
      t,
      { question: 'revenue by region in 2024' },
      principals.worker(principals.analyst('APAC')),
    );

    expect(forUser.status).toBe(200);
    expect(forUser.body.rows.map((r: { region: string }) => r.region)).toEqual(['APAC']);
  });

  it('When a scoped analyst asks about another region, then 403 QUERY_OUT_OF_SCOPE', async () => {
    const res = await ask(t, { question: 'revenue in AMER in 2024' }, principals.analyst('EMEA'));

    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'QUERY_OUT_OF_SCOPE' });
  });

  it('When nobody is signed in, then 401; when a guest asks, then 403', async () => {
    const anonymous = await t.http.post('/v1/queries').send({ question: 'revenue in 2024' });
    const guest = await ask(t, { question: 'revenue in 2024' }, principals.guest());

    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    expect(guest.status).toBe(403);
  });

  it('When the question cannot be understood, then 422 lists why', async () => {
    const res = await ask(t, { question: 'revenue excluding toys in Q1 2024 and Q2 2024' });

    expect(res.status).toBe(422);
    expect(res.body.code).toBe('QUESTION_NOT_UNDERSTOOD');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'question', message: expect.stringMatching(/exclusions/) }),
        expect.objectContaining({ field: 'question', message: expect.stringMatching(/more than one period/) }),
      ]),
    );
  });

  it('When a canonical query names unknown members or both forms are sent, then 400 names the fields', async () => {
    const unknown = await ask(t, {
      query: { metrics: ['revenue', 'vibes'], filters: { category: ['toys', 'spaceships'] }, timeZone: 'Mars/Base' },
    });
    const both = await ask(t, { question: 'revenue in 2024', query: { metrics: ['revenue'] } });

    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['query.metrics.1']);
    expect(both.status).toBe(400);
    expect(both.body.errors[0].field).toBe('question');
  });

  it('When a result has more rows than a page, then keyset pages cover it exactly once, in order', async () => {
    const pages: Record<string, unknown>[][] = [];
    let cursor: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof ask>> = await ask(
        t,
        { question: 'daily revenue in Q1 2024', limit: 40, ...(cursor ? { cursor } : {}) },
        principals.admin(),
      );
      expect(res.status).toBe(200);
      pages.push(res.body.rows);
      cursor = res.body.nextCursor;
    } while (cursor);

    const days = pages.flat().map((r) => r.day);
    expect(pages.length).toBe(Math.ceil(91 / 40));
    expect(days).toHaveLength(91);
    expect(days[0]).toBe('2024-01-01');
    expect(days[90]).toBe('2024-03-31');
    expect([...days].sort()).toEqual(days);
  });

  it('When the top products are asked, then the answer is ranked by the metric and cut to n', async () => {
    const res = await ask(t, { question: 'top 3 products by revenue in 2024' }, principals.admin());

    expect(res.body.rows).toHaveLength(3);
    const revenues = res.body.rows.map((r: { revenue: number }) => r.revenue);
    expect([...revenues].sort((a, b) => b - a)).toEqual(revenues);
  });

  it('When derived metrics are asked, then they are computed from the additive sums', async () => {
    const res = await ask(t, { question: 'revenue, cost, profit, margin and aov in 2024' }, principals.admin());
    const [row] = res.body.rows;

    expect(row.profit).toBeCloseTo(row.revenue - row.cost, 2);
    expect(row.margin).toBeCloseTo((row.revenue - row.cost) / row.revenue, 3);
    expect(row.average_order_value).toBeGreaterThan(0);
  });

  it('When the warehouse answers, then it counts the query itself (query_log) and the admin stats show it', async () => {
    const stats = await t.http.get('/v1/admin/cache/stats').set(as(principals.admin()));

    expect(stats.status).toBe(200);
    expect(stats.body.instance).toMatchObject({
      hitRatio: expect.any(Number),
      warehouseQueries: expect.any(Number),
      warehouseSecondsSaved: expect.any(Number),
    });
    expect(stats.body.instance.warehouseQueries).toBeGreaterThan(0);
  });

  it('When the warehouse client answers directly, then it agrees with the cached answer (no drift)', async () => {
    const cached = await ask(t, { question: 'revenue by segment in 2024' }, principals.admin());
    const direct = await t.app
      .get(WarehouseClient)
      .aggregate(
        { dataset: 'sales', groupBy: ['segment'], filters: {}, time: cached.body.query.time, timeZone: null },
        'test',
        { after: null, limit: 100 },
      );

    expect(cached.body.rows.map((r: { revenue: number }) => Math.round(r.revenue * 100))).toEqual(
      direct.rows.map((row) => row[2]),
    );
  });
});

describe('results too large to cache whole (Q16.2)', () => {
  it('When a result has more groups than the cache holds, then pages come from the warehouse by keyset and are cached one by one', async () => {
    const small = await bootQueryService(env.env({ WARMING_ENABLED: 'false', QUERY_MAX_CACHED_ROWS: '10' }));
    try {
      const walk = async () => {
        const pages: Awaited<ReturnType<typeof ask>>[] = [];
        let cursor: string | null = null;
        do {
          const res: Awaited<ReturnType<typeof ask>> = await ask(
            small,
            { question: 'daily units in Q1 2024', limit: 40, ...(cursor ? { cursor } : {}) },
            principals.admin(),
          );
          pages.push(res);
          cursor = res.body.nextCursor;
        } while (cursor);
        return pages;
      };
      const first = await walk();
      const before = await warehouseQueries(dataSourceOf(small));
      const second = await walk();

      const days = first.flatMap((p) => p.body.rows.map((r: { day: string }) => r.day));
      expect(days).toHaveLength(91);
      expect([...days].sort()).toEqual(days);
      expect(first.map((p) => p.body.rows.length)).toEqual([40, 40, 11]);
      expect(second.every((p) => /^casebook; hit/.test(p.headers['cache-status']!))).toBe(true);
      expect(second.map((p) => p.body.rows)).toEqual(first.map((p) => p.body.rows));
      expect(await warehouseQueries(dataSourceOf(small))).toBe(before);
    } finally {
      await small.close();
    }
  });
});

describe('kill switch', () => {
  it('When the cache is switched off, then every answer comes from the warehouse, marked fwd=bypass', async () => {
    const off = await bootQueryService(env.env({ WARMING_ENABLED: 'false', QUERY_CACHE_ENABLED: 'false' }));
    try {
      const before = await warehouseQueries(dataSourceOf(off));
      const answers = [
        await ask(off, { question: 'revenue in Q2 2024' }),
        await ask(off, { question: 'revenue in Q2 2024' }),
      ];

      expect(answers.map((a) => a.headers['cache-status'])).toEqual(['casebook; fwd=bypass', 'casebook; fwd=bypass']);
      expect(answers[1]!.body.rows).toEqual(answers[0]!.body.rows);
      expect(await warehouseQueries(dataSourceOf(off))).toBe(before + 2);
    } finally {
      await off.close();
    }
  });
});

describe('time zones (Q18.3)', () => {
  it('When "yesterday" is asked from UTC and from UTC+14, then the keys differ and each range is that zone’s day', async () => {
    const day = 86_400_000;
    const utc = await ask(t, { question: 'revenue yesterday', timeZone: 'UTC' }, principals.admin());
    const kiritimati = await ask(
      t,
      { question: 'revenue yesterday', timeZone: 'Pacific/Kiritimati' },
      principals.admin(),
    );

    // Kiritimati is UTC+14 all year: its local midnight is 14 h before UTC's of the same date.
    const utcToday = Math.floor(Date.now() / day) * day;
    const kiritimatiToday = Math.floor((Date.now() + 14 * 3_600_000) / day) * day - 14 * 3_600_000;
    expect(utc.body.query.time).toEqual({
      from: new Date(utcToday - day).toISOString(),
      to: new Date(utcToday).toISOString(),
    });
    expect(kiritimati.body.query.time).toEqual({
      from: new Date(kiritimatiToday - day).toISOString(),
      to: new Date(kiritimatiToday).toISOString(),
    });
    expect(kiritimati.body.query.timeZone).toBe('Pacific/Kiritimati');
    expect(utc.body.cache.key).not.toBe(kiritimati.body.cache.key);
  });
});

describe('routes', () => {
  it('When every route is listed, then each declares a permission or @Public()', () => {
    const scanner = new MetadataScanner();
    const reflector = t.app.get(Reflector);
    const undeclared: string[] = [];
    const controllers = [...t.app.get(ModulesContainer).values()].flatMap((m) => [...m.controllers.values()]);
    expect(controllers.length).toBeGreaterThan(2);
    for (const wrapper of controllers) {
      const instance = wrapper.instance as object;
      const prototype = Object.getPrototypeOf(instance);
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (Reflect.getMetadata('path', handler) === undefined) continue;
        const targets = [handler, instance.constructor];
        const declared =
          reflector.getAllAndOverride(REQUIRED_PERMISSION_KEY, targets) ||
          reflector.getAllAndOverride(IS_PUBLIC_KEY, targets);
        if (!declared) undeclared.push(`${instance.constructor.name}.${name}`);
      }
    }
    expect(undeclared).toEqual([]);
  });
});
