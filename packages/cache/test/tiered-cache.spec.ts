import { createRedis } from '@casebook/platform';
import { TEST_REDIS_URL, waitFor } from '@casebook/testing';
import { CacheKeys, type EntryOptions, TieredCache } from '../src';
import { countingLoader, fakeClock, useCacheFleet } from './helpers';

const fleet = useCacheFleet();
const opts: EntryOptions = { ttlMs: 60_000, graceMs: 30_000, staleIfErrorMs: 3_600_000, tags: ['dataset:sales'] };
let n = 0;
const uniqueKey = (): string => `k:${process.pid}:${++n}`;

describe('TieredCache: tiers', () => {
  it('When a key is read twice, then the loader runs once, the second read is an L1 hit', async () => {
    const cache = await fleet.instance();
    const loader = countingLoader(() => ({ rows: [1, 2, 3] }));
    const key = uniqueKey();

    const first = await cache.getOrLoad(key, loader, opts);
    const second = await cache.getOrLoad(key, loader, opts);

    expect(first).toMatchObject({ outcome: 'miss', source: 'loader', missReason: 'cold', stored: true });
    expect(second).toMatchObject({ outcome: 'hit', source: 'l1', value: { rows: [1, 2, 3] } });
    expect(loader.runs).toBe(1);
  });

  it('When another instance computed the value, then this one reads it from L2 and keeps it in L1', async () => {
    const [a, b] = [await fleet.instance(), await fleet.instance()];
    const loader = countingLoader(() => 'v');
    const key = uniqueKey();
    await a.getOrLoad(key, loader, opts);

    await waitFor(async () => (await b.getOrLoad(key, loader, opts)).source === 'l2', { message: 'no L2 hit' });
    const again = await b.getOrLoad(key, loader, opts);

    expect(again.source).toBe('l1');
    expect(loader.runs).toBe(1);
  });

  it('When a value is larger than the entry limit, then it is answered but not stored', async () => {
    const cache = await fleet.instance({ maxEntryBytes: 2_000, compressAboveBytes: 1_000_000 });
    const loader = countingLoader(() => 'x'.repeat(5_000));
    const key = uniqueKey();

    const first = await cache.getOrLoad(key, loader, opts);
    const second = await cache.getOrLoad(key, loader, opts);

    expect(first).toMatchObject({ outcome: 'miss', stored: false });
    expect(second.outcome).toBe('miss');
    expect(loader.runs).toBe(2);
    expect(cache.localStats().oversize).toBe(2);
  });
});

describe('TieredCache: stampede protection (Q13.3)', () => {
  it('When 1000 requests for a cold key arrive at 3 instances at once, then the loader runs exactly once', async () => {
    const instances = [await fleet.instance(), await fleet.instance(), await fleet.instance()];
    const loader = countingLoader(() => ({ total: 42 }));
    const release = loader.hold();
    const key = uniqueKey();

    const answers = Promise.all(Array.from({ length: 1000 }, (_, i) => instances[i % 3]!.getOrLoad(key, loader, opts)));
    await waitFor(() => loader.runs === 1, { message: 'loader never started' });
    release();
    const results = await answers;

    expect(loader.runs).toBe(1);
    expect(results.every((r) => (r.value as { total: number }).total === 42)).toBe(true);
    expect(results.filter((r) => r.source === 'peer').length).toBeGreaterThan(0);
    const collapsed = instances.map((c) => c.localStats());
    expect(collapsed.reduce((s, x) => s + x.collapsedProcess + x.collapsedCluster, 0)).toBeGreaterThanOrEqual(997);
  });

  it('When the key expired but is within grace, then every caller gets the stale value and one refresh runs', async () => {
    const clock = fakeClock();
    const instances = [
      await fleet.instance({ clock: clock.now }),
      await fleet.instance({ clock: clock.now }),
      await fleet.instance({ clock: clock.now }),
    ];
    const loader = countingLoader((run) => ({ run }));
    const key = uniqueKey();
    await instances[0]!.getOrLoad(key, loader, opts);
    await waitFor(async () => (await instances[2]!.getOrLoad(key, loader, opts)).source !== 'loader');
    await instances[1]!.getOrLoad(key, loader, opts);
    clock.advance(opts.ttlMs + 1_000);
    const release = loader.hold();

    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => instances[i % 3]!.getOrLoad(key, loader, opts)),
    );
    release();

    expect(results.every((r) => r.outcome === 'stale' && r.staleReason === 'revalidating')).toBe(true);
    expect(results.every((r) => (r.value as { run: number }).run === 1)).toBe(true);
    await waitFor(async () => (await instances[0]!.getOrLoad(key, loader, opts)).outcome === 'hit');
    expect(loader.runs).toBe(2);
  });

  it('When the loader fails while holding the lease, then the lease is released and the next caller loads', async () => {
    const [a, b] = [await fleet.instance(), await fleet.instance()];
    const loader = countingLoader(() => 'ok');
    const key = uniqueKey();
    loader.fail(new Error('warehouse down'));

    await expect(a.getOrLoad(key, loader, opts)).rejects.toThrow('warehouse down');
    loader.fail(null);
    const result = await b.getOrLoad(key, loader, opts);

    expect(result).toMatchObject({ outcome: 'miss', source: 'loader', value: 'ok' });
  });

  it('When a lease expired and another holder took it, then finishing the load does not release their lease', async () => {
    const cache = await fleet.instance();
    const redis = await fleet.raw();
    const key = uniqueKey();
    const keys = new CacheKeys('test');

    await cache.getOrLoad(
      key,
      async () => {
        // Our lease ran out mid-load and another instance took it.
        await redis.set(keys.lease(key), 'other-holder', 'PX', 60_000);
        return 'mine';
      },
      opts,
    );
    await waitFor(async () => (await redis.exists(keys.entry(key))) === 1, { message: 'entry never written' });

    expect(await redis.get(keys.lease(key))).toBe('other-holder');
  });
});

describe('TieredCache: freshness', () => {
  it('When the value expired past grace and the loader fails, then the stale value is served (stale-if-error)', async () => {
    const clock = fakeClock();
    const cache = await fleet.instance({ clock: clock.now });
    const loader = countingLoader(() => 'old');
    const key = uniqueKey();
    await cache.getOrLoad(key, loader, opts);
    clock.advance(opts.ttlMs + opts.graceMs! + 1);
    loader.fail(new Error('warehouse down'));

    const result = await cache.getOrLoad(key, loader, opts);

    expect(result).toMatchObject({ outcome: 'stale', staleReason: 'loader-error', value: 'old' });
    expect(result.ttlMs).toBeLessThan(0);
  });

  it('When the data version moved on, then the old value is never served fresh; it is only the error fallback', async () => {
    const cache = await fleet.instance();
    const loader = countingLoader((run) => `v${run}`);
    const key = uniqueKey();
    await cache.getOrLoad(key, loader, { ...opts, dataVersion: 1 });

    const reloaded = await cache.getOrLoad(key, loader, { ...opts, dataVersion: 2 });
    loader.fail(new Error('down'));
    const fallback = await cache.getOrLoad(key, loader, { ...opts, dataVersion: 3 });

    expect(reloaded).toMatchObject({ outcome: 'miss', missReason: 'outdated', value: 'v2', dataVersion: 2 });
    expect(fallback).toMatchObject({ outcome: 'stale', staleReason: 'loader-error', value: 'v2' });
  });

  it('When a hit is close to expiry and XFetch fires, then the value is refreshed in the background', async () => {
    const clock = fakeClock();
    // The smallest U makes -ln(U) ≈ 744: any measurable load cost then reaches 1 ms before expiry.
    const cache = await fleet.instance({ clock: clock.now, random: () => Number.MIN_VALUE });
    const loader = countingLoader((run) => run);
    const key = uniqueKey();
    await cache.getOrLoad(key, loader, opts);
    clock.advance(opts.ttlMs - 1);

    const hit = await cache.getOrLoad(key, loader, opts);

    expect(hit).toMatchObject({ outcome: 'hit', value: 1 });
    await waitFor(() => loader.runs === 2, { message: 'no early refresh' });
    await waitFor(async () => (await cache.getOrLoad(key, loader, opts)).value === 2);
    expect(cache.localStats().earlyRefreshes).toBeGreaterThanOrEqual(1);
  });
});

describe('TieredCache: invalidation', () => {
  it('When a tag is invalidated, then exactly the entries carrying it reload, on every instance', async () => {
    const [a, b] = [await fleet.instance(), await fleet.instance()];
    const loader = countingLoader((run) => run);
    const toys = uniqueKey();
    const games = uniqueKey();
    const all = uniqueKey();
    const tagged = (tags: string[]): EntryOptions => ({ ...opts, tags });
    const cat = `category:toys:${n}`;
    for (const cache of [a, b]) {
      await cache.getOrLoad(toys, loader, tagged([cat]));
      await cache.getOrLoad(games, loader, tagged([`category:games:${n}`]));
      await cache.getOrLoad(all, loader, tagged([`category:*:${n}`, cat]));
    }
    expect(loader.runs).toBe(3);

    await a.invalidateTags([cat]);

    await waitFor(async () => (await b.getOrLoad(toys, loader, tagged([cat]))).outcome === 'miss', {
      message: 'b never saw the invalidation',
    });
    expect((await b.getOrLoad(games, loader, tagged([`category:games:${n}`]))).outcome).toBe('hit');
    expect((await a.getOrLoad(all, loader, tagged([`category:*:${n}`, cat]))).missReason).toBe('invalidated');
    expect((await a.getOrLoad(toys, loader, tagged([cat]))).outcome).toBe('hit');
    expect(loader.runs).toBe(5);
  });

  it('When a load raced an invalidation (started before it), then its value is already invalid', async () => {
    const cache = await fleet.instance();
    const key = uniqueKey();
    const tag = `race:${n}`;

    const result = await cache.getOrLoad(
      key,
      async () => {
        await cache.invalidateTags([tag]);
        return 'computed before the invalidation';
      },
      { ...opts, tags: [tag] },
    );
    const next = await cache.getOrLoad(key, async () => 'after', { ...opts, tags: [tag] });

    expect(result.outcome).toBe('miss');
    expect(next).toMatchObject({ outcome: 'miss', missReason: 'invalidated', value: 'after' });
  });

  it('When a stored entry is corrupted, then it is detected, deleted, counted and recomputed', async () => {
    const cache = await fleet.instance({ l1: false });
    const redis = await fleet.raw();
    const loader = countingLoader((run) => ({ run }));
    const key = uniqueKey();
    await cache.getOrLoad(key, loader, opts);
    await waitFor(async () => (await redis.exists(new CacheKeys('test').entry(key))) === 1);
    await redis.set(new CacheKeys('test').entry(key), '{"rows": [1, 2,');

    const healed = await cache.getOrLoad(key, loader, opts);
    await waitFor(async () => (await cache.getOrLoad(key, loader, opts)).outcome === 'hit');

    expect(healed).toMatchObject({ outcome: 'miss', missReason: 'corrupt', value: { run: 2 } });
    expect(cache.localStats().corrupt).toBe(1);
  });

  it('When an instance fills a key, then other instances drop their L1 copy (coherency bus)', async () => {
    const clock = fakeClock();
    const [a, b] = [await fleet.instance({ clock: clock.now }), await fleet.instance({ clock: clock.now })];
    const key = uniqueKey();
    await a.getOrLoad(key, async () => 'v1', { ...opts, dataVersion: 1 });
    await waitFor(
      async () => (await b.getOrLoad(key, async () => 'never', { ...opts, dataVersion: 1 })).outcome === 'hit',
    );
    expect((await b.getOrLoad(key, async () => 'never', { ...opts, dataVersion: 1 })).source).toBe('l1');

    await a.getOrLoad(key, async () => 'v2', { ...opts, dataVersion: 2 });

    await waitFor(
      async () => (await b.getOrLoad(key, async () => 'never', { ...opts, dataVersion: 1 })).value === 'v2',
      {
        message: 'b kept serving its L1 copy',
      },
    );
  });

  it('When an admin deletes a key, then every instance misses next', async () => {
    const [a, b] = [await fleet.instance(), await fleet.instance()];
    const loader = countingLoader((run) => run);
    const key = uniqueKey();
    await a.getOrLoad(key, loader, opts);
    await waitFor(async () => (await b.getOrLoad(key, loader, opts)).outcome === 'hit');

    expect(await a.delete(key)).toBe(true);

    await waitFor(async () => (await b.getOrLoad(key, loader, opts)).outcome === 'miss');
  });
});

describe('TieredCache: admin views', () => {
  it('When entries are inspected, listed by tag and by prefix, then metadata comes back without payloads', async () => {
    const cache = await fleet.instance();
    const tag = `admin:${n}`;
    const prefix = `adm${n}:`;
    for (const i of [1, 2, 3]) await cache.getOrLoad(`${prefix}${i}`, async () => ({ i }), { ...opts, tags: [tag] });

    await waitFor(async () => (await cache.admin.keysForTag(tag)).length === 3);
    const info = await cache.admin.inspect(`${prefix}1`);
    const listed = await cache.admin.scanPrefix(prefix, '0', 10);

    expect(info).toMatchObject({ key: `${prefix}1`, state: 'fresh', tags: [tag], codec: 'json' });
    expect(info).not.toHaveProperty('value');
    expect(listed.keys.sort()).toEqual([1, 2, 3].map((i) => `${prefix}${i}`));
  });
});

describe('TieredCache: lifecycle', () => {
  it('When a cache is constructed, then it opens no connection; start() opens the bus subscription and close() ends it', async () => {
    const name = `cache-lifecycle-${process.pid}-${++n}`;
    const redis = createRedis({ url: TEST_REDIS_URL, keyPrefix: fleet.prefix, connectionName: name });
    await waitFor(() => redis.status === 'ready', { message: 'redis not ready' });
    const connections = async () =>
      ((await redis.client('LIST')) as string).split('\n').filter((line) => line.includes(` name=${name} `)).length;

    const cache = new TieredCache({ name: 'test', redis, statsFlushMs: 0, l2BudgetMs: 2_000 });
    expect(await connections()).toBe(1);

    await cache.start();
    await waitFor(async () => (await connections()) === 2, { message: 'the bus never subscribed' });

    await cache.close();
    await waitFor(async () => (await connections()) === 1, { message: 'the bus connection stayed open' });
    redis.disconnect();
  });
});
