import { AppModule as ChatbotModule, loadChatbotConfig, seedChatbot } from '@casebook/chatbot-api';
import { AppModule as QueryModule, loadQueryConfig } from '@casebook/query-service';
import { createTestApp, type TestApp, useTestEnvironment } from '@casebook/testing';
import { DataSource } from 'typeorm';

// Q20.2 as production runs it: chatbot-api's key ring signs the seeded users' tokens, query-service
// verifies them over the issuer's JWKS and applies the seeded roles; no test guard, no shared secret.
const chatbotEnv = useTestEnvironment('chatbot-api');
const queryEnv = useTestEnvironment('query-service');
const PASSWORD = 'correct-horse-battery-staple';
let issuer: TestApp;
let query: TestApp;
const tokens: Record<string, string> = {};

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  const config = loadChatbotConfig(
    chatbotEnv.env({
      AUTH_KEYS_DIR: ':memory:',
      CASEBOOK_DEMO_PASSWORD: PASSWORD,
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
    }),
  );
  issuer = await createTestApp({ config, module: (c, logDestination) => ChatbotModule.forRoot(c, { logDestination }) });
  await seedChatbot(issuer.app.get(DataSource), config);
  await issuer.app.listen(0, '127.0.0.1');
  const jwks = `${(await issuer.app.getUrl()).replace('[::1]', '127.0.0.1')}/.well-known/jwks.json`;
  query = await createTestApp({
    config: loadQueryConfig(queryEnv.env({ AUTH_JWKS_URL: jwks, WARMING_ENABLED: 'false' })),
    module: (c, logDestination) => QueryModule.forRoot(c, { logDestination }),
  });
  for (const [name, email] of [
    ['admin', 'admin@casebook.dev'],
    ['senior', 'senior.emea@casebook.dev'],
    ['analyst', 'analyst.emea@casebook.dev'],
    ['guest', 'guest@casebook.dev'],
  ] as const) {
    const res = await issuer.http.post('/v1/auth/login').send({ email, password: PASSWORD });
    expect(res.status).toBe(200);
    tokens[name] = res.body.accessToken as string;
  }
});
afterAll(async () => {
  await query?.close();
  await issuer?.close();
});

const ADMIN_ROUTES: [string, (t: TestApp) => ReturnType<TestApp['http']['get']>][] = [
  ['GET /v1/admin/cache/stats', (t) => t.http.get('/v1/admin/cache/stats')],
  ['GET /v1/admin/cache/entries', (t) => t.http.get('/v1/admin/cache/entries').query({ prefix: 'qc:' })],
  [
    'POST /v1/admin/cache/invalidations',
    (t) => t.http.post('/v1/admin/cache/invalidations').send({ tags: ['dataset:sales'], reason: 'jwt test' }),
  ],
];

describe('cache admin API with real tokens over JWKS (Q20.2)', () => {
  it.each(ADMIN_ROUTES)('When the seeded admin calls %s, then it is allowed', async (_route, call) => {
    const res = await call(query).set(bearer(tokens.admin!));
    expect(res.status).toBeLessThan(300);
  });

  it.each(ADMIN_ROUTES)(
    'When a senior analyst, an analyst or a guest calls %s, then it is 403 with a problem document',
    async (_route, call) => {
      for (const role of ['senior', 'analyst', 'guest']) {
        const res = await call(query).set(bearer(tokens[role]!));
        expect({ role, status: res.status }).toEqual({ role, status: 403 });
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
    },
  );

  it.each(ADMIN_ROUTES)('When %s comes without a token or with a forged one, then it is 401', async (_route, call) => {
    const forged = tokens.admin!.slice(0, -4) + (tokens.admin!.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await call(query)).status).toBe(401);
    expect((await call(query).set(bearer(forged))).status).toBe(401);
  });

  it('When an analyst asks a question with the same kind of token, then the query route admits it', async () => {
    const res = await query.http
      .post('/v1/queries')
      .set(bearer(tokens.analyst!))
      .send({ question: 'revenue for toys in EMEA in 2024' });
    expect(res.status).toBe(200);
    expect(res.body.cache.key).toEqual(expect.any(String));
  });
});
