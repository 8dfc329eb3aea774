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

// Q16.1, Q16.3: a warehouse query that takes long (held here by a lock on the fact table) must neither
// hold the client's request hostage nor let requests pile up behind the warehouse pool.
const env = useTestEnvironment('query-service');
let t: QueryServiceApp;
let locker: DataSource;
const admin = principals.admin();

beforeAll(async () => {
  t = await bootQueryService(
    env.env({
      WARMING_ENABLED: 'false',
      QUERY_ASYNC_AFTER_MS: '100',
      WAREHOUSE_POOL_SIZE: '1',
      WAREHOUSE_QUEUE_LIMIT: '0',
    }),
  );
  await seedSmallWarehouse(dataSourceOf(t));
  await versionsSettled([t]);
  locker = await testDataSource(env.database.url).initialize();
});
afterAll(async () => {
  await locker?.destroy();
  await t?.close();
});

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

describe('a slow warehouse', () => {
  it('When the answer is not ready in time and the client prefers async, then 202 now and a hit on the retry', async () => {
    const before = await warehouseQueries(dataSourceOf(t));
    const release = await holdWarehouse();

    const accepted = await ask(t, { question: 'revenue by segment in Q3 2024' }, admin, { prefer: 'respond-async' });
    await release();

    expect(accepted.status).toBe(202);
    expect(accepted.headers['retry-after']).toBe('1');
    expect(accepted.body).toEqual({ status: 'running' });
    const retried = await waitFor(async () => {
      const res = await ask(t, { question: 'revenue by segment in Q3 2024' }, admin);
      return /hit/.test(res.headers['cache-status'] ?? '') ? res : null;
    });
    expect(retried.status).toBe(200);
    expect(await warehouseQueries(dataSourceOf(t))).toBe(before + 1);
  });

  it('When the warehouse pool is busy and its queue is full, then the next query is refused at once with 503', async () => {
    const release = await holdWarehouse();
    const blocked = ask(t, { question: 'units by region in Q2 2024' }, admin);
    await waitFor(
      async () =>
        (
          (await locker.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'casebook-query-warehouse' AND wait_event_type = 'Lock'",
          )) as { n: number }[]
        )[0]!.n === 1,
      { message: 'the first query never reached the warehouse' },
    );

    const refused = await ask(t, { question: 'units by region in Q1 2023' }, admin);
    await release();

    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('WAREHOUSE_UNAVAILABLE');
    expect(refused.headers['retry-after']).toBe('1');
    expect((await blocked).status).toBe(200);
  });
});
