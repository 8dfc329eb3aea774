import type { RateLimitDecision } from '../core';
import { rateLimitHeaders, retryAfterSeconds } from './headers';

const decision = (overrides: Partial<RateLimitDecision> = {}): RateLimitDecision => ({
  allowed: true,
  backend: 'redis',
  route: 'default',
  cost: 1,
  tier: 'analyst',
  retryAfterMs: 0,
  rejectedBy: [],
  penalty: 1,
  levels: [
    {
      level: 'user',
      policy: 'user',
      advertise: true,
      quota: 300,
      windowSeconds: 60,
      burst: 60,
      remaining: 57,
      resetMs: 180,
      waitMs: 0,
    },
    {
      level: 'ip',
      policy: 'ip',
      advertise: true,
      quota: 1200,
      windowSeconds: 60,
      burst: 1200,
      remaining: 1200,
      resetMs: 0,
      waitMs: 0,
    },
    {
      level: 'global',
      policy: 'global',
      advertise: false,
      quota: 5000,
      windowSeconds: 1,
      burst: 5000,
      remaining: 4000,
      resetMs: 1,
      waitMs: 0,
    },
  ],
  concurrency: undefined,
  lease: undefined,
  ...overrides,
});

describe('RateLimit headers (draft-ietf-httpapi-ratelimit-headers)', () => {
  it('When a decision is rendered, then each advertised level is one list item; capacity levels are not shown', () => {
    expect(rateLimitHeaders(decision())).toEqual({
      'RateLimit-Policy': '"user";q=300;w=60;casebook-burst=60, "ip";q=1200;w=60',
      RateLimit: '"user";r=57;t=1, "ip";r=1200',
    });
  });

  it('When the route has a concurrency limit, then it is a policy in concurrent-requests', () => {
    const headers = rateLimitHeaders(decision({ concurrency: { limit: 3, inFlight: 1, busy: false } }));
    expect(headers['RateLimit-Policy']).toContain('"concurrency";q=3;qu="concurrent-requests"');
    expect(headers.RateLimit).toContain('"concurrency";r=2');
  });

  it('When nothing is advertised, then no headers are written', () => {
    expect(rateLimitHeaders(decision({ levels: [] }))).toEqual({});
  });

  it('When Retry-After is computed, then it is never below the real wait and spreads by the jitter', () => {
    expect(retryAfterSeconds(1_200, 0, () => 0)).toBe(2);
    expect(retryAfterSeconds(0, 0, () => 0)).toBe(1);
    const spread = new Set(Array.from({ length: 200 }, () => retryAfterSeconds(3_000, 5)));
    expect(Math.min(...spread)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...spread)).toBeLessThanOrEqual(8);
    expect(spread.size).toBeGreaterThan(2);
  });
});
