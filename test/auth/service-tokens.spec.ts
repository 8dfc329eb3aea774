import { AppModule as ChatbotModule, loadChatbotConfig, seedChatbot } from '@casebook/chatbot-api';
import { AppModule as ModerationModule, loadModerationConfig } from '@casebook/moderation-service';
import { createTestApp, type TestApp, useTestEnvironment } from '@casebook/testing';
import { DataSource } from 'typeorm';

// Two services in one test: chatbot-api issues tokens, moderation-service verifies them through the
// issuer's JWKS over HTTP, with no shared secret (Q10.x).
const env = useTestEnvironment('chatbot-api');
const PASSWORD = 'correct-horse-battery-staple';
let t: TestApp;
let admin: string;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
async function login(email: string): Promise<string> {
  const res = await t.http.post('/v1/auth/login').send({ email, password: PASSWORD });
  expect(res.status).toBe(200);
  return res.body.accessToken;
}

beforeAll(async () => {
  const config = loadChatbotConfig(
    env.env({
      AUTH_KEYS_DIR: ':memory:',
      CASEBOOK_DEMO_PASSWORD: PASSWORD,
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
    }),
  );
  t = await createTestApp({ config, module: (c, logDestination) => ChatbotModule.forRoot(c, { logDestination }) });
  await seedChatbot(t.app.get(DataSource), config);
  admin = await login('admin@casebook.dev');
});
afterAll(() => t?.close());

describe('service tokens through JWKS (Q10.x)', () => {
  let moderation: TestApp;
  let issuerUrl: string;

  beforeAll(async () => {
    await t.app.listen(0, '127.0.0.1');
    issuerUrl = await t.app.getUrl();
    moderation = await createTestApp({
      config: loadModerationConfig(
        env.env({ AUTH_JWKS_URL: `${issuerUrl.replace('[::1]', '127.0.0.1')}/.well-known/jwks.json` }),
      ),
      module: (c, logDestination) => ModerationModule.forRoot(c, { logDestination }),
    });
  });
  afterAll(() => moderation?.close());

  it('When the JWKS is fetched, then it holds public keys only', async () => {
    const res = await t.http.get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.body.keys.length).toBeGreaterThan(0);
    for (const key of res.body.keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(key.d).toBeUndefined();
    }
  });

  it('When a service client uses client credentials, then it gets a token for one audience that the target verifies by JWKS', async () => {
    const client = await t.http
      .post('/v1/admin/service-clients')
      .set(bearer(admin))
      .send({ name: 'report-runner', scopes: ['read:RuleSet'], audiences: ['moderation-service'] });
    expect(client.status).toBe(201);
    const token = await t.http.post('/v1/auth/token').send({
      grant_type: 'client_credentials',
      client_id: 'report-runner',
      client_secret: client.body.clientSecret,
      audience: 'moderation-service',
    });
    expect(token.status).toBe(200);
    const res = await moderation.http.get('/v1/whoami').set(bearer(token.body.access_token));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'service', id: 'service:report-runner' });

    const wrongAudience = await t.http.post('/v1/auth/token').send({
      grant_type: 'client_credentials',
      client_id: 'report-runner',
      client_secret: client.body.clientSecret,
      audience: 'query-service',
    });
    expect(wrongAudience.status).toBe(403);
    const badSecret = await t.http.post('/v1/auth/token').send({
      grant_type: 'client_credentials',
      client_id: 'report-runner',
      client_secret: 'nope',
      audience: 'moderation-service',
    });
    expect(badSecret.status).toBe(401);
  });

  it('When a user token reaches the other service, then it is accepted there too; a forged one is not', async () => {
    const user = await login('analyst.emea@casebook.dev');
    const ok = await moderation.http.get('/v1/whoami').set(bearer(user));
    expect(ok.body).toMatchObject({ kind: 'user', region: 'EMEA' });
    const forged = user.slice(0, -4) + (user.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await moderation.http.get('/v1/whoami').set(bearer(forged))).status).toBe(401);
  });
});
