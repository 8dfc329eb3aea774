import { AppModule, loadModerationConfig } from '@casebook/moderation-service';
import { createTestApp, RedisServer, type TestApp, useTestEnvironment, waitFor } from '@casebook/testing';

// This file stops and starts Redis, so it runs its own redis-server instead of the shared one. It boots
// moderation-service, for which Redis is critical; chatbot-api reports Redis down as degraded instead
// (services/chatbot-api/test/auth/revocation.spec.ts).
const env = useTestEnvironment('moderation-service');
let redis: RedisServer;
let t: TestApp;

beforeAll(async () => {
  redis = await RedisServer.start();
  const config = loadModerationConfig(env.env({ REDIS_URL: redis.url, HEALTH_CHECK_TIMEOUT_MS: '300' }));
  t = await createTestApp({ config, module: (c, logDestination) => AppModule.forRoot(c, { logDestination }) });
});
afterAll(async () => {
  await t?.close();
  await redis?.stop();
});

const readiness = () => t.http.get('/health/ready');

describe('readiness', () => {
  it('When Postgres and Redis answer, then /health/ready is 200 and lists both as up', async () => {
    const res = await readiness();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', checks: { postgres: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('When Redis becomes unreachable, then readiness turns 503 while liveness stays 200; when it returns, 200 again', async () => {
    await redis.stop();
    const down = await waitFor(
      async () => {
        const res = await readiness();
        return res.status === 503 ? res : undefined;
      },
      { timeoutMs: 10_000, message: 'readiness never reported Redis down' },
    );
    expect(down.body).toMatchObject({
      status: 'error',
      checks: { redis: { status: 'down' }, postgres: { status: 'up' } },
    });
    expect(down.headers['retry-after']).toBeDefined();
    expect((await t.http.get('/health/live')).status).toBe(200);

    await redis.start();
    await waitFor(async () => (await readiness()).status === 200, {
      timeoutMs: 15_000,
      message: 'readiness did not recover after Redis came back',
    });
  });
});
