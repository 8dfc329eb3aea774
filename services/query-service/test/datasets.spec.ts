import { DataSource } from 'typeorm';
import { createTestApp, type TestApp, useTestEnvironment } from '@casebook/testing';
import { AppModule, DEMO_DATASETS, loadQueryConfig, seedQuery } from '../src';

const env = useTestEnvironment('query-service');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({
    config: loadQueryConfig(env.env({ WARMING_ENABLED: 'false' })),
    module: (c, logDestination) => AppModule.forRoot(c, { logDestination }),
  });
  await seedQuery(t.app.get(DataSource), { warehouseRows: 0 });
});
afterAll(() => t?.close());

describe('query-service shell', () => {
  it('When ready, then /health/ready checks Postgres and Redis', async () => {
    const res = await t.http.get('/health/ready');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.checks).sort()).toEqual(['postgres', 'redis']);
  });

  it('When datasets are listed, then the seeded ones come back with their data version', async () => {
    const res = await t.http.get('/v1/datasets');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: DEMO_DATASETS.map((d) => ({ ...d, dataVersion: 1 })),
      nextCursor: null,
    });
  });

  it('When a load bumps a data version and the seed runs again, then the version is kept', async () => {
    const db = t.app.get(DataSource);
    await db.query("UPDATE warehouse.datasets SET data_version = data_version + 1 WHERE name = 'sales'");
    await seedQuery(db, { warehouseRows: 0 });
    const res = await t.http.get('/v1/datasets');
    expect(res.body.data[0].dataVersion).toBe(2);
  });

  it('When the cursor is forged, then 400 names cursor', async () => {
    const res = await t.http.get('/v1/datasets?cursor=not-a-cursor');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });
});
