import { z } from 'zod';
import { parseRate, rateLimitEnvShape, rateLimitOptionsFromEnv } from './env';
import { parseRateLimitOptions, type RateLimitOptionsInput } from './options';

/** A service's policy in code, as the chatbot's is. */
const POLICY: RateLimitOptionsInput = {
  tiers: [
    { name: 'admin', rate: { limit: 1200, windowSeconds: 60, burst: 200 }, concurrency: 8 },
    { name: 'guest', rate: { limit: 60, windowSeconds: 60, burst: 20 }, concurrency: 1 },
  ],
  defaultTier: 'guest',
  ip: { limit: 6_000, windowSeconds: 60, burst: 1_000 },
  global: { limit: 5_000, windowSeconds: 1 },
  routes: { 'chat:send': { cost: 10, concurrency: true } },
};

describe('rate-limit options', () => {
  it('When options are wrong in several ways, then the error lists each of them', () => {
    expect(() =>
      parseRateLimitOptions({
        tiers: [{ name: 'guest', rate: { limit: 5, windowSeconds: 60, burst: 10 } }],
        defaultTier: 'nobody',
        ip: false,
        global: { limit: 2, windowSeconds: 1 },
        shards: 4,
        routes: { 'chat:send': { cost: 50 } },
      }),
    ).toThrow(
      /burst must not exceed limit[\s\S]*defaultTier[\s\S]*global: burst must be at least shards[\s\S]*cost 50/,
    );
  });

  it('When the environment sets tiers and rates, then they replace the defaults and keep the code policy', () => {
    const env = z.object(rateLimitEnvShape).parse({
      RATE_LIMIT_TIERS: 'admin=100/60:50,guest=10/60',
      RATE_LIMIT_DEFAULT_TIER: 'guest',
      RATE_LIMIT_GLOBAL: 'off',
      RATE_LIMIT_INSTANCES: '3',
      RATE_LIMIT_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1',
    });
    const options = rateLimitOptionsFromEnv(env, POLICY);
    expect(options.tiers.map((tier) => [tier.name, tier.rate.limit, tier.concurrency])).toEqual([
      ['admin', 100, 8],
      ['guest', 10, 1],
    ]);
    expect(options.global).toBe(false);
    expect(options.instances).toBe(3);
    expect(options.trustedProxies).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(options.routes['chat:send']!.cost).toBe(10);
    expect(parseRate('300/60s:60')).toEqual({ limit: 300, windowSeconds: 60, burst: 60 });
    expect(() => z.object(rateLimitEnvShape).parse({ RATE_LIMIT_TIERS: 'admin' })).toThrow(/name=limit/);
  });
});
