import { AppModule as ModerationModule, loadModerationConfig } from '@casebook/moderation-service';
import { createTestApp, type TestApp, useTestEnvironment } from '@casebook/testing';
import { bearer, type Issuer, startIssuer } from '../support/platform';

// Two services in one test: chatbot-api issues tokens, moderation-service verifies them through the
// issuer's JWKS over HTTP, with no shared secret (Q10.x).
const env = useTestEnvironment('chatbot-api');
const moderationEnv = useTestEnvironment('moderation-service');
let issuer: Issuer | undefined;
let t: TestApp;
let admin: string;
const login = (email: string) => issuer!.login(email);

beforeAll(async () => {
  issuer = await startIssuer(env);
  t = issuer.app;
  admin = await login('admin@casebook.dev');
});
afterAll(() => issuer?.app.close());

describe('service tokens through JWKS (Q10.x)', () => {
  let moderation: TestApp;

  beforeAll(async () => {
    moderation = await createTestApp({
      config: loadModerationConfig(moderationEnv.env({ AUTH_JWKS_URL: issuer!.jwksUrl })),
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
