import { parseRateLimitOptions, type RateLimitOptionsInput } from '../config';
import { MemoryBackend } from './memory-backend';
import { Planner } from './planner';
import type { RateLimitRequest } from './types';

const options = (overrides: Partial<RateLimitOptionsInput> = {}) =>
  parseRateLimitOptions({
    tiers: [{ name: 'analyst', rate: { limit: 10, windowSeconds: 10 }, concurrency: 2 }],
    defaultTier: 'analyst',
    ip: false,
    global: false,
    routes: { slow: { concurrency: true, cost: 1 } },
    ...overrides,
  });

function setup(overrides: Partial<RateLimitOptionsInput> = {}, instances = 1) {
  const planner = new Planner(options(overrides));
  const memory = new MemoryBackend(instances);
  const check = (request: RateLimitRequest, nowMs: number, token = 't') =>
    memory.evaluate(planner.plan(request), nowMs, token);
  return { planner, memory, check };
}

const user = { kind: 'user', id: '42', roles: ['analyst'] };

describe('GCRA in memory (the fallback runs the same algorithm as the Lua script)', () => {
  it('When a full bucket of 10 is hit 15 times at once, then exactly 10 are admitted', () => {
    const { check } = setup();
    const admitted = Array.from({ length: 15 }, () => check({ subject: user }, 1_000)).filter((r) => r.allowed);
    expect(admitted).toHaveLength(10);
  });

  it('When the quota is spent, then units come back one per interval, not all at a window boundary (Q5.3)', () => {
    const { check } = setup();
    for (let i = 0; i < 10; i += 1) check({ subject: user }, 0);
    const rejected = check({ subject: user }, 0);
    expect(rejected.allowed).toBe(false);
    expect(rejected.levels[0]).toEqual({ remaining: 0, resetUs: 1_000_000, waitUs: 1_000_000 });
    expect(check({ subject: user }, 999).allowed).toBe(false);
    expect(check({ subject: user }, 1_000).allowed).toBe(true);
    expect(check({ subject: user }, 1_000).allowed).toBe(false);
    // A whole window later the bucket is full again, never more than full.
    expect(check({ subject: user }, 60_000).levels[0]!.remaining).toBe(9);
  });

  it('When the fallback runs on 4 instances, then each admits a quarter of the limit', () => {
    const { check } = setup({}, 4);
    const admitted = Array.from({ length: 10 }, () => check({ subject: user }, 0)).filter((r) => r.allowed);
    expect(admitted).toHaveLength(2);
  });

  it('When a request is rejected by one level, then the other levels keep their quota', () => {
    const { check } = setup({ global: { limit: 2, windowSeconds: 3600 } });
    const other = { kind: 'user', id: '7', roles: ['analyst'] };
    check({ subject: other }, 0);
    check({ subject: other }, 0);
    const rejected = check({ subject: user }, 0);
    expect(rejected.allowed).toBe(false);
    expect(rejected.levels[0]!.remaining).toBe(10);
  });

  it('When a subject is penalised by 2, then it gets half the burst and half the rate until the penalty expires', () => {
    const { memory, planner, check } = setup();
    memory.penalize(planner.plan({ subject: user }).penaltyKey, 2, 5_000, 0);
    const admitted = Array.from({ length: 10 }, () => check({ subject: user }, 0)).filter((r) => r.allowed);
    expect(admitted).toHaveLength(5);
    expect(check({ subject: user }, 1_000).allowed).toBe(false);
    expect(check({ subject: user }, 2_000).allowed).toBe(true);
  });

  it('When in-flight slots are full, then the next request is rejected until one is released or its lease expires', () => {
    const { memory, planner, check } = setup({ concurrencyLeaseMs: 1_000 });
    const plan = planner.plan({ subject: user, route: 'slow' });
    expect(check({ subject: user, route: 'slow' }, 0, 'a').allowed).toBe(true);
    expect(check({ subject: user, route: 'slow' }, 0, 'b').allowed).toBe(true);
    expect(check({ subject: user, route: 'slow' }, 0, 'c')).toMatchObject({ allowed: false, busy: true, inFlight: 2 });
    memory.release(plan.inflightKey, 'a');
    expect(check({ subject: user, route: 'slow' }, 0, 'd').allowed).toBe(true);
    expect(check({ subject: user, route: 'slow' }, 1_000, 'e').allowed).toBe(true);
  });

  it('When more keys are live than the bound, then the map stays bounded', () => {
    const planner = new Planner(options());
    const memory = new MemoryBackend(1, 100);
    for (let i = 0; i < 1_000; i += 1)
      memory.evaluate(planner.plan({ subject: { kind: 'user', id: String(i) } }), 0, '');
    expect((memory as unknown as { tats: Map<string, number> }).tats.size).toBeLessThanOrEqual(100);
  });
});
