import { LocalRedisCluster } from './redis-cluster';
import { admittedOf, someUser, testOptions, useLimiters } from './support';

// Declared first, so its clients quit before the servers stop.
const limiters = useLimiters();

// A real three-master Redis Cluster from the redis-server binary on spare ports (ADR 0006).
let cluster: LocalRedisCluster;
beforeAll(async () => {
  cluster = await LocalRedisCluster.start(3);
}, 60_000);
afterAll(() => cluster?.stop());

const onCluster = async (options: ReturnType<typeof testOptions>) =>
  limiters.limiter(options, { redis: limiters.track(await cluster.client(limiters.prefix)) });

describe('on a 3-master Redis Cluster', () => {
  const options = testOptions({
    shards: 12,
    ip: { limit: 10_000, windowSeconds: 3600 },
    global: { limit: 12_000, windowSeconds: 3600 },
    tiers: [
      { name: 'analyst', rate: { limit: 37, windowSeconds: 3600 }, aggregate: { limit: 12_000, windowSeconds: 3600 } },
    ],
  });

  it('When 200 concurrent requests for one user arrive through two instances, then exactly L are admitted', async () => {
    const [a, b] = [await onCluster(options), await onCluster(options)];
    const user = someUser();
    // Four levels per request (user, ip, role, global): one Lua call, legal only because all keys share a slot.
    const { admitted, backends } = await admittedOf(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).check({ subject: user, ip: '203.0.113.7' })),
    );
    expect(admitted).toBe(37);
    expect([...backends]).toEqual(['redis']);
  });

  it('When many users are limited, then their keys spread over every master', async () => {
    const limiter = await onCluster(options);
    await Promise.all(Array.from({ length: 60 }, () => limiter.check({ subject: someUser(), ip: '203.0.113.8' })));
    const counts = await cluster.keyCounts();
    expect(counts).toHaveLength(3);
    for (const count of counts) expect(count).toBeGreaterThan(0);
  });

  it('When the sharded global level is exhausted, then at most the global limit is admitted and users keep their quota', async () => {
    const tight = testOptions({ shards: 12, global: { limit: 24, windowSeconds: 3600 } });
    const [a, b] = [await onCluster(tight), await onCluster(tight)];
    const users = Array.from({ length: 300 }, () => someUser());
    const decisions = await Promise.all(users.map((user, i) => (i % 2 ? a : b).check({ subject: user })));
    const admitted = decisions.filter((decision) => decision.allowed).length;
    // Each of the 12 shards holds 24 ÷ 12 = 2, so 24 in total (300 users leave no shard with fewer than 2 callers).
    expect(admitted).toBe(24);
    for (const rejected of decisions.filter((decision) => !decision.allowed)) {
      expect(rejected.rejectedBy).toEqual(['global']);
      expect(rejected.levels.find((level) => level.level === 'user')!.remaining).toBe(37);
    }
  });
});
