import { useTestEnvironment, waitFor } from '@casebook/testing';
import {
  as,
  ask,
  bootQueryService,
  dataSourceOf,
  principals,
  type QueryServiceApp,
  seedSmallWarehouse,
} from './helpers';

// Q20.1, Q20.2: the cache admin API, admin role only.
const env = useTestEnvironment('query-service');
let t: QueryServiceApp;
const admin = principals.admin();
let key: string;

beforeAll(async () => {
  t = await bootQueryService(env.env({ WARMING_ENABLED: 'false' }));
  await seedSmallWarehouse(dataSourceOf(t));
  key = (await ask(t, { question: 'revenue for toys in EMEA in 2024' }, admin)).body.cache.key;
  await ask(t, { question: 'revenue for toys in 2024' }, admin);
  await ask(t, { question: 'revenue for toys in 2024' }, admin);
});
afterAll(() => t?.close());

describe('cache admin API', () => {
  it('When an entry is viewed by key, then its metadata comes back, never its rows', async () => {
    const res = await waitFor(async () => {
      const r = await t.http.get(`/v1/admin/cache/entries/${encodeURIComponent(key)}`).set(as(admin));
      return r.status === 200 ? r : null;
    });

    expect(res.body).toMatchObject({
      key,
      state: 'fresh',
      codec: 'json',
      bytes: expect.any(Number),
      dataVersion: expect.any(Number),
      tags: expect.arrayContaining(['dataset:sales', 'category:toys', 'region:EMEA', 'product:*', 'segment:*']),
      expiresInMs: expect.any(Number),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/rows|payload|value/);
  });

  it('When entries are listed by tag and by prefix, then both find them; an unknown key is 404', async () => {
    const byTag = await t.http.get('/v1/admin/cache/entries?tag=category:toys').set(as(admin));
    // A prefix listing is a SCAN: one page may hold none of the matches when Redis holds other keys too, so
    // the client follows nextCursor (never KEYS on the server).
    const byPrefix: string[] = [];
    let cursor: string | null = '0';
    while (cursor !== null && !byPrefix.includes(key)) {
      const page: { body: { data: { key: string }[]; nextCursor: string | null } } = await t.http
        .get('/v1/admin/cache/entries')
        .query({ prefix: 'qc:1:sales:', limit: '100', cursor })
        .set(as(admin));
      byPrefix.push(...page.body.data.map((e) => e.key));
      cursor = page.body.nextCursor;
    }
    const missing = await t.http.get('/v1/admin/cache/entries/qc:1:sales:nope').set(as(admin));
    const ambiguous = await t.http.get('/v1/admin/cache/entries?tag=a&prefix=b').set(as(admin));

    expect(byTag.body.data).toHaveLength(2);
    expect(byPrefix).toContain(key);
    expect(missing.status).toBe(404);
    expect(ambiguous.status).toBe(400);
  });

  it('When stats are read, then they show hit ratio per tier, warehouse queries and time saved', async () => {
    const res = await t.http.get('/v1/admin/cache/stats').set(as(admin));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ schemaVersion: 1, l2Usable: true, l1: { entries: expect.any(Number) } });
    expect(res.body.instance).toMatchObject({ hitsL1: 1, misses: 2, warehouseQueries: 2 });
    expect(res.body.instance.hitRatio).toBeCloseTo(1 / 3, 5);
    expect(res.body.instance.warehouseSecondsSaved).toBeGreaterThan(0);
    expect(res.body.fleet).toMatchObject({ misses: 2 });
  });

  it.each([
    ['GET', '/v1/admin/cache/entries?tag=dataset:sales'],
    ['GET', '/v1/admin/cache/stats'],
    ['POST', '/v1/admin/cache/invalidations'],
    ['POST', '/v1/admin/cache/warmups'],
  ])('When an analyst calls %s %s, then 403; without a principal, 401', async (method, url) => {
    const request = (headers: Record<string, string>) =>
      method === 'GET'
        ? t.http.get(url).set(headers)
        : t.http
            .post(url)
            .set(headers)
            .send({ tags: ['dataset:sales'], reason: 'test' });

    expect((await request(as(principals.analyst('EMEA')))).status).toBe(403);
    expect((await request({})).status).toBe(401);
  });
});
