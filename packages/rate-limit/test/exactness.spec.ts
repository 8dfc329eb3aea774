import { waitFor } from '@casebook/testing';
import { admittedOf, someUser, testOptions, useLimiters } from './support';

// Two app instances = two limiters, each with its own Redis connection, on the shared Redis.
const limiters = useLimiters();

describe('one atomic check across instances (Q5.1, Q5.4)', () => {
  it('When 200 concurrent requests for one user arrive through two instances, then exactly L are admitted', async () => {
    const options = testOptions(); // L = 37 per hour: nothing refills during the test
    const [a, b] = [await limiters.limiter(options), await limiters.limiter(options)];
    const user = someUser();
    const { admitted, backends } = await admittedOf(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).check({ subject: user })),
    );
    expect(admitted).toBe(37);
    expect([...backends]).toEqual(['redis']);
  });

  it('When the global level rejects, then the user level keeps its whole quota (no partial consumption)', async () => {
    const options = testOptions({ global: { limit: 3, windowSeconds: 3600 } });
    const limiter = await limiters.limiter(options);
    for (let i = 0; i < 3; i += 1) expect((await limiter.check({ subject: someUser() })).allowed).toBe(true);

    const user = someUser();
    for (let i = 0; i < 5; i += 1) {
      const rejected = await limiter.check({ subject: user });
      expect(rejected).toMatchObject({ allowed: false, rejectedBy: ['global'] });
      expect(rejected.levels.find((level) => level.level === 'user')!.remaining).toBe(37);
    }
    // Nothing was written for the user: its bucket does not exist in Redis.
    const userKey = limiter.planner.plan({ subject: user }).keys[0]!;
    expect(await limiters.reader().exists(userKey)).toBe(0);
  });

  it('When the user level rejects, then the IP and global levels are not consumed either', async () => {
    const options = testOptions({
      tiers: [{ name: 'analyst', rate: { limit: 2, windowSeconds: 3600 } }],
      ip: { limit: 100, windowSeconds: 3600 },
      global: { limit: 100, windowSeconds: 3600 },
    });
    const limiter = await limiters.limiter(options);
    const user = someUser();
    const ip = '203.0.113.50';
    await limiter.check({ subject: user, ip });
    await limiter.check({ subject: user, ip });
    for (let i = 0; i < 10; i += 1) expect((await limiter.check({ subject: user, ip })).rejectedBy).toEqual(['user']);
    const read = await limiter.check({ subject: someUser(), ip, cost: 0 });
    expect(read.levels.map((level) => [level.level, level.remaining])).toEqual([
      ['user', 2],
      ['ip', 98],
      ['global', 98],
    ]);
  });

  it('When the role tier as a whole rejects, then the user, IP and global levels are not consumed (Q5.4)', async () => {
    const options = testOptions({
      tiers: [
        { name: 'analyst', rate: { limit: 50, windowSeconds: 3600 }, aggregate: { limit: 3, windowSeconds: 3600 } },
      ],
      ip: { limit: 100, windowSeconds: 3600 },
      global: { limit: 100, windowSeconds: 3600 },
    });
    const limiter = await limiters.limiter(options);
    const ip = '203.0.113.60';
    for (let i = 0; i < 3; i += 1) expect((await limiter.check({ subject: someUser(), ip })).allowed).toBe(true);

    const user = someUser();
    for (let i = 0; i < 5; i += 1) {
      expect(await limiter.check({ subject: user, ip })).toMatchObject({ allowed: false, rejectedBy: ['role'] });
    }

    const read = await limiter.check({ subject: user, ip, cost: 0 });
    expect(read.levels.map((level) => [level.level, level.remaining])).toEqual([
      ['user', 50],
      ['ip', 97],
      ['role', 0],
      ['global', 97],
    ]);
    const userKey = limiter.planner.plan({ subject: user }).keys[0]!;
    expect(await limiters.reader().exists(userKey)).toBe(0);
  });

  it('When one instance’s clock is minutes ahead and another’s behind, then admissions are the same (Redis TIME)', async () => {
    const options = testOptions();
    const ahead = await limiters.limiter(options, { clock: () => Date.now() + 10 * 60_000 });
    const behind = await limiters.limiter(options, { clock: () => Date.now() - 7 * 60_000 });
    const honest = await limiters.limiter(options);
    const instances = [ahead, behind, honest];
    const user = someUser();
    const { admitted, backends } = await admittedOf(
      Array.from({ length: 200 }, (_, i) => instances[i % 3]!.check({ subject: user })),
    );
    expect(admitted).toBe(37);
    expect([...backends]).toEqual(['redis']);
    // Every instance sees the same wait for the next unit: about one interval (3600 s / 37 ≈ 97 s), not minutes off.
    const waits = await Promise.all(
      instances.map(async (limiter) => (await limiter.check({ subject: user })).retryAfterMs),
    );
    for (const wait of waits) {
      expect(wait).toBeGreaterThan(90_000);
      expect(wait).toBeLessThanOrEqual(97_298);
    }
  });
});

describe('tiers, cost, penalties and in-flight slots', () => {
  const tiered = testOptions({
    tiers: [
      { name: 'admin', rate: { limit: 60, windowSeconds: 3600 } },
      { name: 'analyst', rate: { limit: 30, windowSeconds: 3600 } },
      { name: 'guest', rate: { limit: 12, windowSeconds: 3600 } },
    ],
    defaultTier: 'guest',
    routes: { 'chat:send': { cost: 10 }, list: { cost: 1 }, slow: { concurrency: 1 } },
    concurrencyLeaseMs: 300,
  });

  it('When an admin and a guest send the same burst, then each gets its tier’s quota (Q5.2)', async () => {
    const limiter = await limiters.limiter(tiered);
    const count = async (roles: string[]) => {
      const user = someUser(roles);
      return (await admittedOf(Array.from({ length: 80 }, () => limiter.check({ subject: user })))).admitted;
    };
    expect(await count(['admin'])).toBe(60);
    expect(await count(['analyst', 'admin'])).toBe(60);
    expect(await count(['analyst'])).toBe(30);
    expect(await count(['guest'])).toBe(12);
    expect(await count(['unknown-role'])).toBe(12);
  });

  it('When an LLM message costs 10 units, then three of them spend the analyst quota a list call also draws on', async () => {
    const limiter = await limiters.limiter(tiered);
    const user = someUser();
    for (let i = 0; i < 3; i += 1)
      expect((await limiter.check({ subject: user, route: 'chat:send' })).allowed).toBe(true);
    expect((await limiter.check({ subject: user, route: 'chat:send' })).allowed).toBe(false);
    const list = await limiter.check({ subject: user, route: 'list' });
    expect(list.allowed).toBe(false);
    expect(list.levels[0]!.remaining).toBe(0);
  });

  it('When a user is penalised by 3, then its quota is a third until the penalty is cleared (Q30.3)', async () => {
    const limiter = await limiters.limiter(tiered);
    const user = someUser();
    expect(await limiter.penalize(user, 3, 60)).toBe(3);
    expect(await limiter.penalize(user, 1.5, 10)).toBe(3); // a milder penalty never weakens a stronger one
    const { admitted } = await admittedOf(Array.from({ length: 30 }, () => limiter.check({ subject: user })));
    expect(admitted).toBe(10);
    const decision = await limiter.check({ subject: someUser(), cost: 0 });
    expect(decision.penalty).toBe(1);
    await limiter.clearPenalty(user);
    expect((await limiter.check({ subject: user })).penalty).toBe(1);
  });

  it('When an instance crashes holding an in-flight slot, then the slot frees itself when its lease expires', async () => {
    const limiter = await limiters.limiter(tiered);
    const user = someUser();
    const held = await limiter.check({ subject: user, route: 'slow' });
    expect(held.lease).toBeDefined();
    const busy = await limiter.check({ subject: user, route: 'slow' });
    expect(busy).toMatchObject({ allowed: false, rejectedBy: ['concurrency'], concurrency: { limit: 1, busy: true } });
    // Refused for want of a slot, it consumed nothing from the rate levels either.
    expect(busy.levels[0]!.remaining).toBe(held.levels[0]!.remaining);
    // The holder never releases (it "crashed"); Redis TIME passes the lease and the slot comes back.
    await waitFor(async () => (await limiter.check({ subject: user, route: 'slow' })).allowed, {
      timeoutMs: 10_000,
      message: 'the expired lease was never reclaimed',
    });
  });

  it('When an in-flight request is released, then the next one is admitted at once', async () => {
    const limiter = await limiters.limiter(tiered);
    const user = someUser();
    const first = await limiter.check({ subject: user, route: 'slow' });
    expect((await limiter.check({ subject: user, route: 'slow' })).allowed).toBe(false);
    await limiter.release(first.lease);
    expect((await limiter.check({ subject: user, route: 'slow' })).allowed).toBe(true);
  });
});
