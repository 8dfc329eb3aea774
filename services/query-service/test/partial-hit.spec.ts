import { useTestEnvironment } from '@casebook/testing';
import { WarehouseClient } from '../src';
import {
  ask,
  bootSeededQueryService,
  dataSourceOf,
  principals,
  type QueryServiceApp,
  warehouseQueries,
} from './helpers';

// Q11.3: ten products asked together, seven of them already cached on their own.
const env = useTestEnvironment('query-service');
let t: QueryServiceApp;
const products = Array.from({ length: 10 }, (_, i) => `P${String(i + 1).padStart(4, '0')}`);
const time = { from: '2024-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' };
const query = (filter: string[], groupBy: string[] = ['month']) => ({
  query: { metrics: ['revenue', 'units'], groupBy, filters: { product: filter }, time },
});

beforeAll(async () => {
  t = await bootSeededQueryService(env.env({ WARMING_ENABLED: 'false' }), 20_000);
});
afterAll(() => t?.close());

describe('partial hits', () => {
  it('When 7 of 10 products are cached, then one warehouse query fetches the 3 missing and the merge equals the uncached answer', async () => {
    const db = dataSourceOf(t);
    for (const product of products.slice(0, 7)) {
      expect((await ask(t, query([product]), principals.admin())).status).toBe(200);
    }
    const before = await warehouseQueries(db);

    const merged = await ask(t, query(products), principals.admin());

    expect(merged.status).toBe(200);
    expect(await warehouseQueries(db)).toBe(before + 1);
    expect(merged.body.cache.partial).toEqual({ cached: 7, total: 10, warehouseQueries: 1 });
    expect(merged.headers['cache-status']).toMatch(
      /^casebook; fwd=partial; stored; ttl=\d+; detail="7\/10 parts cached"/,
    );
    const direct = await t.app
      .get(WarehouseClient)
      .aggregate(
        { dataset: 'sales', groupBy: ['month'], filters: { product: products }, time, timeZone: 'UTC' },
        'uncached',
        {
          after: null,
          limit: 1_000,
        },
      );
    expect(merged.body.rows).toEqual(
      direct.rows.map(([month, units, revenueCents]) => ({ month, units, revenue: (revenueCents as number) / 100 })),
    );
    expect(merged.body.rows).toHaveLength(12);
  });

  it('When one of the three fetched products is asked alone next, then its part was stored and it is a hit', async () => {
    const before = await warehouseQueries(dataSourceOf(t));

    const alone = await ask(t, query([products[8]!]), principals.admin());

    expect(alone.headers['cache-status']).toMatch(/^casebook; hit/);
    expect(await warehouseQueries(dataSourceOf(t))).toBe(before);
  });

  it('When the split dimension is also a grouping, then the merged rows are the union of the parts', async () => {
    const db = dataSourceOf(t);
    await ask(t, query(products.slice(0, 4), ['product']), principals.admin());
    const before = await warehouseQueries(db);

    const merged = await ask(t, query(products.slice(0, 6), ['product']), principals.admin());

    expect(await warehouseQueries(db)).toBe(before + 1);
    expect(merged.body.cache.partial).toMatchObject({ cached: 4, total: 6 });
    expect(merged.body.rows.map((r: { product: string }) => r.product)).toEqual(products.slice(0, 6));
  });

  it('When every part is cached, then the answer is assembled without asking the warehouse', async () => {
    const before = await warehouseQueries(dataSourceOf(t));

    const assembled = await ask(t, query(products.slice(2, 9)), principals.admin());

    expect(assembled.body.cache.partial).toEqual({ cached: 7, total: 7, warehouseQueries: 0 });
    expect(await warehouseQueries(dataSourceOf(t))).toBe(before);
  });
});
