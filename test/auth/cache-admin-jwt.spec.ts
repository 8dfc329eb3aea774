import { AppModule as QueryModule, loadQueryConfig } from '@casebook/query-service';
import { createTestApp, type TestApp, useTestEnvironment } from '@casebook/testing';
import { bearer, type Issuer, startIssuer } from '../support/platform';

// Q20.2 as production runs it: chatbot-api's key ring signs the seeded users' tokens, query-service
// verifies them over the issuer's JWKS and applies the seeded roles; no test guard, no shared secret.
const chatbotEnv = useTestEnvironment('chatbot-api');
const queryEnv = useTestEnvironment('query-service');
let issuer: Issuer | undefined;
let query: TestApp;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  issuer = await startIssuer(chatbotEnv);
  query = await createTestApp({
    config: loadQueryConfig(queryEnv.env({ AUTH_JWKS_URL: issuer.jwksUrl, WARMING_ENABLED: 'false' })),
    module: (c, logDestination) => QueryModule.forRoot(c, { logDestination }),
  });
  for (const [name, email] of [
    ['admin', 'admin@casebook.dev'],
    ['senior', 'senior.emea@casebook.dev'],
    ['analyst', 'analyst.emea@casebook.dev'],
    ['guest', 'guest@casebook.dev'],
  ] as const) {
    tokens[name] = await issuer.login(email);
  }
});
afterAll(async () => {
  await query?.close();
  await issuer?.app.close();
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
