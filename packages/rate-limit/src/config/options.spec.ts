import { z } from 'zod';
import { Planner } from '../core/planner';
import { parseRate, rateLimitEnvShape, rateLimitOptionsFromEnv } from './env';
import { DEFAULT_RATE_LIMIT_OPTIONS, parseRateLimitOptions } from './options';

describe('rate-limit options', () => {
  it('When the defaults are parsed, then tiers are ordered admin > senior_analyst > analyst > guest (Q5.2)', () => {
    const options = parseRateLimitOptions(DEFAULT_RATE_LIMIT_OPTIONS);
    expect(options.tiers.map((tier) => tier.name)).toEqual(['admin', 'senior_analyst', 'analyst', 'guest']);
    const limits = options.tiers.map((tier) => tier.rate.limit);
    expect([...limits].sort((a, b) => b - a)).toEqual(limits);
  });

  it('When a principal holds several roles, then the highest tier wins; unknown roles get the default tier', () => {
    const planner = new Planner(parseRateLimitOptions(DEFAULT_RATE_LIMIT_OPTIONS));
    expect(planner.tierOf({ kind: 'user', id: '1', roles: ['guest', 'senior_analyst', 'analyst'] }).name).toBe(
      'senior_analyst',
    );
    expect(planner.tierOf({ kind: 'user', id: '1', roles: ['auditor'] }).name).toBe('guest');
  });

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
    const options = rateLimitOptionsFromEnv(env);
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
