import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RedisServer, waitFor } from '@casebook/testing';
import { Cluster, Redis } from 'ioredis';
import { TieredCache } from '../src';
import { countingLoader } from './helpers';

// Q13.2, Q13.4: the same engine on a three-master Redis Cluster. Keys carry hash tags, so the
// lease/fill script (entry + lease) never spans slots, and entries spread across all masters.
let dir: string;
const servers: RedisServer[] = [];
const clients: Cluster[] = [];

async function startCluster(): Promise<number[]> {
  dir = await mkdtemp(path.join(tmpdir(), 'casebook-cluster-'));
  for (let i = 0; i < 3; i += 1) {
    servers.push(
      await RedisServer.start({
        args: ['--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, `nodes-${i}.conf`)],
      }),
    );
  }
  const admins = servers.map((s) => new Redis(s.port, '127.0.0.1'));
  const per = Math.ceil(16384 / 3);
  await Promise.all(
    admins.map((admin, i) => admin.call('CLUSTER', 'ADDSLOTSRANGE', i * per, Math.min(16383, (i + 1) * per - 1))),
  );
  for (const server of servers.slice(1)) await admins[0]!.call('CLUSTER', 'MEET', '127.0.0.1', server.port);
  await waitFor(
    async () =>
      (await Promise.all(admins.map((a) => a.call('CLUSTER', 'INFO')))).every((info) =>
        String(info).includes('cluster_state:ok'),
      ),
    { timeoutMs: 20_000, message: 'cluster never became ok' },
  );
  admins.forEach((a) => a.disconnect());
  return servers.map((s) => s.port);
}

async function clusterCache(ports: number[]): Promise<TieredCache> {
  const cluster = new Cluster(
    ports.map((port) => ({ host: '127.0.0.1', port })),
    { keyPrefix: 'test:cluster:' },
  );
  clients.push(cluster);
  await waitFor(() => cluster.status === 'ready', { timeoutMs: 10_000 });
  const cache = new TieredCache({ name: 'query', redis: cluster, l2BudgetMs: 2_000, statsFlushMs: 0 });
  await cache.start();
  return cache;
}

let ports: number[];
beforeAll(async () => {
  ports = await startCluster();
}, 60_000);
afterAll(async () => {
  clients.forEach((c) => c.disconnect());
  await Promise.all(servers.map((s) => s.stop()));
  await rm(dir, { recursive: true, force: true });
});

describe('TieredCache on Redis Cluster', () => {
  it('When 300 callers on two instances miss the same key, then one load runs and no command crosses slots', async () => {
    const [a, b] = [await clusterCache(ports), await clusterCache(ports)];
    const loader = countingLoader(() => ({ total: 1 }));
    const release = loader.hold();

    const answers = Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        (i % 2 ? a : b).getOrLoad('qc:1:sales:hot', loader, { ttlMs: 60_000, tags: ['dataset:sales'] }),
      ),
    );
    await waitFor(() => loader.runs === 1);
    release();
    const results = await answers;

    expect(loader.runs).toBe(1);
    expect(results.every((r) => (r.value as { total: number }).total === 1)).toBe(true);
    await Promise.all([a.close(), b.close()]);
  });

  it('When entries are written and a tag is invalidated, then keys land on every master and the tag applies', async () => {
    const cache = await clusterCache(ports);
    const loader = countingLoader((run) => run);
    for (let i = 0; i < 30; i += 1) {
      await cache.getOrLoad(`qc:1:sales:${i}`, loader, { ttlMs: 60_000, tags: ['category:toys'] });
    }
    const masters = servers.map((s) => new Redis(s.port, '127.0.0.1'));
    await waitFor(async () => (await Promise.all(masters.map((m) => m.dbsize()))).every((size) => size > 0), {
      message: 'entries did not spread over the masters',
    });
    masters.forEach((m) => m.disconnect());

    await cache.invalidateTags(['category:toys']);
    const after = await cache.getOrLoad('qc:1:sales:0', loader, { ttlMs: 60_000, tags: ['category:toys'] });

    expect(after).toMatchObject({ outcome: 'miss', missReason: 'invalidated' });
    await cache.close();
  });
});
