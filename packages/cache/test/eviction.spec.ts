import { randomBytes } from 'node:crypto';
import { RedisServer, waitFor } from '@casebook/testing';
import { Redis } from 'ioredis';
import { CacheKeys, TieredCache } from '../src';
import { connectedRedis } from './helpers';

// Q13.1: a cache Redis runs `maxmemory-policy volatile-lfu`. Entries always carry a TTL, so they are what
// gets evicted (least frequently used first); tag timestamps carry none, so memory pressure can never
// evict an invalidation and bring invalidated entries back to life.
let server: RedisServer;
beforeAll(async () => {
  server = await RedisServer.start({ args: ['--maxmemory', '4mb', '--maxmemory-policy', 'volatile-lfu'] });
});
afterAll(() => server?.stop());

describe('TieredCache under Redis memory pressure', () => {
  it('When Redis evicts, then entries go, the invalidation stays, and every read still answers', async () => {
    const redis = await connectedRedis(server.url, '');
    const cache = new TieredCache({ name: 'query', redis, l1: false, l2BudgetMs: 2_000, statsFlushMs: 0 });
    await cache.start();
    const tags = ['category:toys'];
    const [{ invalidatedAt }] = await cache.invalidateTags(tags);

    for (let i = 0; i < 600; i += 1) {
      const payload = randomBytes(12_000).toString('base64');
      const result = await cache.getOrLoad(`qc:1:sales:${i}`, async () => payload, { ttlMs: 3_600_000, tags });
      expect(result.value).toBe(payload);
    }
    const admin = new Redis(server.port, '127.0.0.1');
    await waitFor(async () => /evicted_keys:[1-9]/.test(await admin.info('stats')), { message: 'nothing evicted' });

    expect(await admin.get(new CacheKeys('query').tag('category:toys'))).toBe(String(invalidatedAt));
    expect(await admin.dbsize()).toBeLessThan(600);
    admin.disconnect();
    await cache.close();
    redis.disconnect();
  });
});
