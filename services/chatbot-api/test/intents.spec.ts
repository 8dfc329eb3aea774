import { DataSource } from 'typeorm';
import { createTestApp, type TestApp, useTestEnvironment } from '@casebook/testing';
import { AppModule, INTENT_CATALOG, loadChatbotConfig, seedChatbot } from '../src';

const env = useTestEnvironment('chatbot-api');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({
    config: loadChatbotConfig(env.env()),
    module: (c, logDestination) => AppModule.forRoot(c, { logDestination }),
  });
  await seedChatbot(t.app.get(DataSource));
});
afterAll(() => t?.close());

describe('GET /v1/intents', () => {
  it('When pages are followed with nextCursor, then every intent is listed once, in name order', async () => {
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.http.get('/v1/intents').query({ limit: 4, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(4);
      names.push(...res.body.data.map((i: { name: string }) => i.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(names).toEqual(INTENT_CATALOG.map((i) => i.name).sort());
  });

  it('When the limit is above the maximum, then 400 names limit', async () => {
    const res = await t.http.get('/v1/intents?limit=1000');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('limit');
  });

  it('When an intent exists, then it is returned; when it does not, then 404 problem', async () => {
    const found = await t.http.get('/v1/intents/sales_summary');
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ name: 'sales_summary', description: expect.any(String), lane: 'short' });
    const missing = await t.http.get('/v1/intents/no_such_intent');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
  });

  it('When the seed runs again, then nothing is duplicated', async () => {
    await seedChatbot(t.app.get(DataSource));
    const [{ count }] = await t.app.get(DataSource).query('SELECT count(*)::int AS count FROM intents');
    expect(count).toBe(INTENT_CATALOG.length);
  });
});
