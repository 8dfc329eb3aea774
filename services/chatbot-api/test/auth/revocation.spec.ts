import { RedisServer, useTestEnvironment, waitFor } from '@casebook/testing';
import { bearer, type ChatbotHarness, DEMO, startChatbot } from '../support';

// This file stops Redis, so the app talks to a private redis-server.
const env = useTestEnvironment('chatbot-api');
let redis: RedisServer;
let t: ChatbotHarness;
let admin: string;

beforeAll(async () => {
  redis = await RedisServer.start();
  t = await startChatbot(env, {
    REDIS_URL: redis.url,
    HEALTH_CHECK_TIMEOUT_MS: '300',
    AUTH_AUTHZ_CACHE_TTL_MS: '1000',
  });
  admin = (await t.login(DEMO.admin)).accessToken;
});
afterAll(async () => {
  await t?.close();
  await redis?.stop();
});

async function changeRoles(email: string, roles: string[]) {
  const res = await t.http
    .patch(`/v1/admin/users/${await t.userId(email)}`)
    .set(bearer(admin))
    .send({ roles });
  expect(res.status).toBe(200);
}

describe('revocation when a role changes while signed in (Q2.1, Q8.3)', () => {
  it('When Redis is up, then the very next request with the old token is refused', async () => {
    const token = (await t.login(DEMO['analyst.amer'])).accessToken;
    expect((await t.http.get('/v1/insights').set(bearer(token))).status).toBe(200);
    await changeRoles(DEMO['analyst.amer'], ['guest']);
    const next = await t.http.get('/v1/insights').set(bearer(token));
    expect(next.status).toBe(401);
    expect(next.body.code).toBe('AUTH_TOKEN_REVOKED');
  });

  it('When Redis is down, then sign-in, refresh and authenticated requests still work and readiness is degraded', async () => {
    await redis.stop();
    try {
      const ready = await waitFor(
        async () => {
          const res = await t.http.get('/health/ready');
          return res.body.checks?.redis?.status === 'down' ? res : undefined;
        },
        { timeoutMs: 10_000, message: 'readiness did not notice Redis was down' },
      );
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('degraded');

      const session = await t.login(DEMO['senior.emea']);
      expect((await t.http.get('/v1/me').set(bearer(session.accessToken))).status).toBe(200);
      const refreshed = await t.http.post('/v1/auth/refresh').send({ refreshToken: session.refreshToken });
      expect(refreshed.status).toBe(200);
      expect((await t.http.get('/v1/insights').set(bearer(refreshed.body.accessToken))).status).toBe(200);
    } finally {
      await redis.start();
    }
  });

  it('When Redis is down and a role changes on another instance, then the old token is refused within the stated bound (1 s)', async () => {
    const other = await startChatbot(env, { REDIS_URL: redis.url, AUTH_AUTHZ_CACHE_TTL_MS: '1000' });
    const token = (await t.login(DEMO['analyst.emea'])).accessToken;
    await redis.stop();
    try {
      // Warm the other instance's in-process copy, then change the role through this one.
      expect((await other.http.get('/v1/insights').set(bearer(token))).status).toBe(200);
      const changedAt = Date.now();
      await changeRoles(DEMO['analyst.emea'], ['guest']);
      await waitFor(async () => (await other.http.get('/v1/insights').set(bearer(token))).status === 401, {
        timeoutMs: 5_000,
        intervalMs: 50,
        message: 'old token still accepted without Redis',
      });
      // The bound is the cache TTL; allow scheduling slack on a loaded machine, but not a second TTL.
      expect(Date.now() - changedAt).toBeLessThan(2_000);
    } finally {
      await other.close();
      await redis.start();
    }
  });

  it('When Redis is wiped, then sessions survive and revocations still hold (state rebuilt from Postgres)', async () => {
    const keep = await t.login(DEMO['senior.emea']);
    const loggedOut = await t.login(DEMO['senior.emea']);
    await t.http
      .post('/v1/auth/logout')
      .set(bearer(loggedOut.accessToken))
      .send({ refreshToken: loggedOut.refreshToken });
    await redis.stop();
    await redis.start(); // a new redis-server with nothing in it
    expect((await t.http.get('/v1/me').set(bearer(keep.accessToken))).status).toBe(200);
    expect((await t.http.post('/v1/auth/refresh').send({ refreshToken: keep.refreshToken })).status).toBe(200);
    const denied = await t.http.get('/v1/me').set(bearer(loggedOut.accessToken));
    expect(denied.status).toBe(401);
    expect(denied.body.code).toBe('AUTH_TOKEN_REVOKED');
  });
});
