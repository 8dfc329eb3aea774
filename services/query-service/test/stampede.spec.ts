import { TieredCache } from '@casebook/cache';
import { testDataSource, useTestEnvironment, waitFor } from '@casebook/testing';
import type { DataSource } from 'typeorm';
import {
  ask,
  bootQueryService,
  dataSourceOf,
  principals,
  type QueryServiceApp,
  seedSmallWarehouse,
  versionsSettled,
  warehouseQueries,
} from './helpers';

// Q13.3: three service instances share one Redis and one warehouse, as three pods would.
const env = useTestEnvironment('query-service');
let instances: QueryServiceApp[];
let locker: DataSource;

beforeAll(async () => {
  // XFetch off: the artificial lock inflates the recorded cost, which would trigger early refreshes.
  const config = env.env({
    WARMING_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    QUERY_CACHE_XFETCH_BETA: '0',
    // Three instances and a thousand requests share one process on a busy two-core machine: event-loop lag,
    // not Redis, would blow the production budget of 50 ms and open the L2 breaker (no lease, no collapse).
    QUERY_CACHE_L2_BUDGET_MS: '10000',
    QUERY_CACHE_TTL_MS: '1000',
    QUERY_CACHE_GRACE_MS: '600000',
  });
  instances = [await bootQueryService(config), await bootQueryService(config), await bootQueryService(config)];
  await seedSmallWarehouse(dataSourceOf(instances[0]!));
  // An instance that has not yet heard of the seed's last load would see the others' entries as outdated.
  await versionsSettled(instances);
  locker = await testDataSource(env.database.url).initialize();
});
afterAll(async () => {
  await locker?.destroy();
  await Promise.all((instances ?? []).map((t) => t.close()));
});

/**
 * Holds an exclusive lock on the fact table, so the one warehouse query that starts waits for it: the
 * window in which a stampede would send more queries stays open as long as the test wants.
 */
async function holdWarehouse(): Promise<() => Promise<void>> {
  const runner = locker.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  await runner.query('LOCK TABLE warehouse.fact_sales IN ACCESS EXCLUSIVE MODE');
  return async () => {
    await runner.commitTransaction();
    await runner.release();
  };
}

const collapses = (): number =>
  instances.reduce((sum, t) => sum + t.app.get(TieredCache).localStats().collapsedProcess, 0);
const staleServed = (): number =>
  instances.reduce((sum, t) => sum + t.app.get(TieredCache).localStats().staleServed, 0);

// A thousand requests plus three servers in one process on a shared two-core machine: seconds when the
// machine is idle, longer when it is not.
jest.setTimeout(90_000);

describe('stampede protection across instances', () => {
  it('When 1000 requests for a cold key hit 3 instances at once, then the warehouse runs exactly one query', async () => {
    const db = dataSourceOf(instances[0]!);
    const before = await warehouseQueries(db);
    const release = await holdWarehouse();

    const answers = Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        ask(instances[i % 3]!, { question: 'revenue by category by region in 2024' }, principals.admin()),
      ),
    );
    // Every request has arrived and joined a load while the one warehouse query is still blocked.
    await waitFor(() => collapses() >= 997, { timeoutMs: 20_000, message: 'requests did not all arrive' });
    await release();
    const results = await answers;

    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => JSON.stringify(r.body.rows))).size).toBe(1);
    expect(results.filter((r) => /collapsed/.test(r.headers['cache-status']!)).length).toBeGreaterThanOrEqual(997);
    expect(await warehouseQueries(db)).toBe(before + 1);
  });

  it('When the key has expired but is within grace, then 1000 requests get the stale answer and one refresh runs', async () => {
    const db = dataSourceOf(instances[0]!);
    const question = { question: 'units by segment in 2024' };
    // Nothing else asks for the key until the burst: a stray request after the TTL would start the refresh early.
    const first = await ask(instances[0]!, question, principals.admin());
    const cache = instances[0]!.app.get(TieredCache);
    await waitFor(async () => (await cache.admin.inspect(first.body.cache.key))?.state === 'grace', {
      timeoutMs: 10_000,
      message: 'entry never reached its grace period',
    });
    const before = await warehouseQueries(db);
    const staleBefore = staleServed();
    const release = await holdWarehouse();

    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => ask(instances[i % 3]!, question, principals.admin())),
    );
    await release();

    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(
      results.every((r) =>
        /^casebook; hit; ttl=-\d+; detail="stale-while-revalidate"/.test(r.headers['cache-status']!),
      ),
    ).toBe(true);
    expect(results.every((r) => r.body.freshness.state === 'stale' && r.body.freshness.reason === 'revalidating')).toBe(
      true,
    );
    expect(staleServed() - staleBefore).toBe(1000);
    await waitFor(
      async () => (await ask(instances[1]!, question, principals.admin())).body.freshness.state === 'fresh',
      {
        message: 'the refresh never landed',
      },
    );
    expect(await warehouseQueries(db)).toBe(before + 1);
  });
});
