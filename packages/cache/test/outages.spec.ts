import { latencyProxy, RedisServer, waitFor } from '@casebook/testing';
import type { EntryOptions, TieredCache } from '../src';
import { countingLoader, useCacheFleet } from './helpers';

const opts: EntryOptions = { ttlMs: 60_000, graceMs: 30_000, tags: ['dataset:sales'] };
let redisServer: RedisServer;
let proxy: Awaited<ReturnType<typeof latencyProxy>>;

beforeAll(async () => {
  redisServer = await RedisServer.start();
  proxy = await latencyProxy(redisServer.port);
});
afterAll(async () => {
  await proxy?.close();
  await redisServer?.stop();
});

describe('TieredCache when Redis fails', () => {
  let cache: TieredCache;
  const fleet = useCacheFleet(() => proxy.url);

  beforeEach(async () => {
    await redisServer.start();
    proxy.setDelay(0);
    cache = await fleet.instance({ l2BudgetMs: 100, breaker: { failureThreshold: 3, openMs: 60_000 } });
  });

  it('When Redis stops, then cached keys come from L1 and new keys from the loader, without errors', async () => {
    const loader = countingLoader((run) => run);
    await cache.getOrLoad('warm', loader, opts);

    await redisServer.stop();
    await waitFor(() => !cache.l2Usable, { message: 'engine still thinks L2 is up' });
    const warm = await cache.getOrLoad('warm', loader, opts);
    const cold = await cache.getOrLoad('cold', loader, opts);

    expect(warm).toMatchObject({ outcome: 'hit', source: 'l1', value: 1 });
    expect(cold).toMatchObject({ outcome: 'miss', source: 'loader', missReason: 'l2-unavailable', value: 2 });
  });

  it('When Redis comes back, then L2 is used again and L1 is cleared (messages may have been missed)', async () => {
    const loader = countingLoader((run) => run);
    await cache.getOrLoad('k', loader, opts);
    await redisServer.stop();
    await waitFor(() => !cache.l2Usable);

    await redisServer.start();

    await waitFor(() => cache.l2Usable, { timeoutMs: 15_000, message: 'L2 never came back' });
    await waitFor(() => cache.l1Stats.entries === 0, { timeoutMs: 15_000, message: 'L1 not cleared on resync' });
    // Redis restarted empty (no persistence): the value is recomputed once and stored again.
    await cache.getOrLoad('k', loader, opts);
    await waitFor(async () => (await cache.getOrLoad('k', loader, opts)).outcome === 'hit');
  });

  it('When Redis is slower than its budget, then answers come from the loader within the budget and the breaker opens', async () => {
    const loader = countingLoader((run) => run);
    proxy.setDelay(2_000);

    const started = performance.now();
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push(await cache.getOrLoad(`slow-${i}`, loader, opts));
    const elapsed = performance.now() - started;

    expect(results.map((r) => r.value)).toEqual([1, 2, 3, 4, 5]);
    // Five reads behind a 2 s network: without the budget this would take 10 s or more; with it, each waits
    // at most 100 ms per Redis call until the breaker opens, then not at all.
    expect(elapsed).toBeLessThan(1_500);
    expect(cache.l2Usable).toBe(false);
    expect(cache.localStats().l2Failures).toBeGreaterThanOrEqual(3);
  });
});
