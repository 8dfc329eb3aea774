import { DataSource } from 'typeorm';
import { createTestApp, type TestApp, useTestEnvironment } from '@casebook/testing';
import { AppModule, loadModerationConfig, MODERATION_CATEGORIES, seedModeration } from '../src';

const env = useTestEnvironment('moderation-service');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({
    config: loadModerationConfig(env.env({ CORS_ORIGINS: 'https://console.casebook.test' })),
    module: (c, logDestination) => AppModule.forRoot(c, { logDestination }),
  });
  await seedModeration(t.app.get(DataSource));
});
afterAll(() => t?.close());

describe('moderation-service shell', () => {
  it('When categories are listed, then each comes with its failure policy', async () => {
    const res = await t.http.get('/v1/categories?limit=100');
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(MODERATION_CATEGORIES.length);
    expect(res.body.data.find((c: { name: string }) => c.name === 'pii')).toMatchObject({
      failurePolicy: 'fail_closed',
    });
  });

  it('When an allowlisted origin calls, then CORS allows it with credentials; other origins get nothing', async () => {
    const allowed = await t.http.get('/v1/categories').set('origin', 'https://console.casebook.test');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://console.casebook.test');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const other = await t.http.get('/v1/categories').set('origin', 'https://elsewhere.test');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('When a body is posted to a read-only route, then the answer is a 404 problem, not a 500', async () => {
    const res = await t.http.post('/v1/categories').send({ name: 'x' });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});
