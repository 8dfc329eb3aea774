import { Metrics } from '@casebook/platform';
import { LogCapture, RedisServer, waitFor } from '@casebook/testing';
import Redis from 'ioredis';
import { counterValue, someUser, testOptions, useLimiters } from './support';

// Declared first, so its clients quit before the servers stop.
const limiters = useLimiters();

// This file stops, pauses and wipes Redis, so it runs its own redis-server instead of the shared one.
let server: RedisServer;
beforeAll(async () => {
  server = await RedisServer.start();
});
afterAll(() => server?.stop());

/** A plain connection to the private server, for commands the test itself sends (pause, wipe). */
const admin = () => limiters.track(new Redis(server.url, { maxRetriesPerRequest: 0 }));

async function fallbackLimiter(overrides: Parameters<typeof testOptions>[0] = {}) {
  const metrics = new Metrics('rate-limit-test', { defaultMetrics: false });
  const logs = new LogCapture();
  const options = testOptions({
    tiers: [{ name: 'analyst', rate: { limit: 10, windowSeconds: 3600 } }],
    instances: 2,
    redisBudgetMs: 1_000,
    breakerFailures: 2,
    breakerCooldownMs: 200,
    ...overrides,
  });
  const limiter = await limiters.limiter(options, { redis: limiters.client(server.url), metrics, logs });
  return { limiter, metrics, logs };
}

describe('Redis unavailable or slow (Q8.4)', () => {
  it('When Redis stops mid-test, then the in-memory fallback limits with limit ÷ instances; when it returns, Redis decides again', async () => {
    const { limiter, metrics, logs } = await fallbackLimiter();
    const user = someUser();
    for (let i = 0; i < 3; i += 1)
      expect(await limiter.check({ subject: user })).toMatchObject({ allowed: true, backend: 'redis' });

    await server.stop();
    const during = [];
    for (let i = 0; i < 20; i += 1) during.push(await limiter.check({ subject: user }));
    expect(new Set(during.map((decision) => decision.backend))).toEqual(new Set(['memory']));
    // Still limited: this instance's share is 10 ÷ 2 instances = 5, the other 15 are refused.
    expect(during.filter((decision) => decision.allowed)).toHaveLength(5);
    expect(during[19]!.levels[0]).toMatchObject({ quota: 5, remaining: 0 });
    expect(await counterValue(metrics, 'rate_limit_decisions_total', { backend: 'memory' })).toBe(20);
    expect(await counterValue(metrics, 'rate_limit_backend_switches_total', { to: 'memory' })).toBe(1);
    expect(logs.find((line) => String(line.msg).includes('deciding in memory'))).toHaveLength(1);

    await server.start();
    const back = await waitFor(
      async () => {
        const decision = await limiter.check({ subject: user });
        return decision.backend === 'redis' ? decision : undefined;
      },
      { timeoutMs: 20_000, message: 'decisions never went back to Redis' },
    );
    // The restarted Redis is empty: the script is sent again (NOSCRIPT → EVAL) and the bucket starts full.
    expect(back).toMatchObject({ allowed: true, levels: [{ quota: 10, remaining: 9 }] });
    expect(await counterValue(metrics, 'rate_limit_backend_switches_total', { to: 'redis' })).toBe(1);
    expect(logs.find((line) => String(line.msg).includes('back on Redis'))).toHaveLength(1);
  });

  it('When Redis answers slower than the budget, then the request is decided in memory instead of waiting', async () => {
    const { limiter, metrics } = await fallbackLimiter({ redisBudgetMs: 100, breakerFailures: 1 });
    const user = someUser();
    expect((await limiter.check({ subject: user })).backend).toBe('redis');
    const pauser = admin();
    await pauser.client('PAUSE', 1_000, 'ALL');
    try {
      const slow = await limiter.check({ subject: user });
      expect(slow).toMatchObject({ backend: 'memory', allowed: true });
      expect(await counterValue(metrics, 'rate_limit_redis_failures_total', { reason: 'timeout' })).toBe(1);
    } finally {
      await pauser.client('UNPAUSE');
    }
    await waitFor(async () => (await limiter.check({ subject: user })).backend === 'redis', {
      timeoutMs: 10_000,
      message: 'decisions never went back to Redis after the pause',
    });
  });

  it('When Redis is wiped (FLUSHALL and SCRIPT FLUSH), then the next check reloads the script and buckets start full', async () => {
    const { limiter } = await fallbackLimiter();
    const user = someUser();
    for (let i = 0; i < 10; i += 1) await limiter.check({ subject: user });
    expect((await limiter.check({ subject: user })).allowed).toBe(false);

    const redis = admin();
    await redis.flushall();
    await redis.script('FLUSH');
    const after = await limiter.check({ subject: user });
    expect(after).toMatchObject({ allowed: true, backend: 'redis', levels: [{ remaining: 9 }] });
  });
});
