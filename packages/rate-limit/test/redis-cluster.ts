import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, RedisServer, waitFor } from '@casebook/testing';
import Redis, { Cluster } from 'ioredis';

const run = promisify(execFile);

/**
 * A real Redis Cluster of three masters (no replicas) started from the `redis-server` binary on spare ports,
 * with the slots spread by `redis-cli --cluster create`. Stopped and its files removed by `stop()`.
 */
export class LocalRedisCluster {
  private constructor(
    readonly servers: RedisServer[],
    private readonly dir: string,
  ) {}

  static async start(masters = 3): Promise<LocalRedisCluster> {
    const dir = await mkdtemp(path.join(tmpdir(), 'casebook-cluster-'));
    const servers: RedisServer[] = [];
    try {
      for (let i = 0; i < masters; i += 1) {
        const port = await freePort();
        // The cluster bus defaults to port + 10000, which may be taken or past 65535; give it its own spare port.
        const busPort = await freePort();
        servers.push(
          await RedisServer.start({
            port,
            args: [
              '--cluster-enabled',
              'yes',
              '--cluster-port',
              String(busPort),
              '--cluster-config-file',
              path.join(dir, `nodes-${port}.conf`),
              '--cluster-node-timeout',
              '5000',
              '--dir',
              dir,
            ],
          }),
        );
      }
      const cluster = new LocalRedisCluster(servers, dir);
      await run('redis-cli', [
        '--cluster',
        'create',
        ...servers.map((server) => `127.0.0.1:${server.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      await waitFor(() => cluster.allOk(), {
        timeoutMs: 20_000,
        message: 'the cluster never reached cluster_state:ok',
      });
      return cluster;
    } catch (error) {
      await Promise.all(servers.map((server) => server.stop()));
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** A cluster client, ready: its slot map is loaded. */
  async client(keyPrefix: string): Promise<Cluster> {
    const cluster = new Cluster(
      this.servers.map((server) => ({ host: '127.0.0.1', port: server.port })),
      { keyPrefix, enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 1 } },
    );
    await new Promise<void>((resolve, reject) => {
      cluster.once('ready', () => resolve());
      cluster.once('error', reject);
    });
    return cluster;
  }

  /** Keys each master holds, by port. */
  async keyCounts(): Promise<number[]> {
    return Promise.all(this.servers.map((server) => this.onNode(server, (redis) => redis.dbsize())));
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop()));
    await rm(this.dir, { recursive: true, force: true });
  }

  private async allOk(): Promise<boolean> {
    const infos = await Promise.all(
      this.servers.map((server) => this.onNode(server, (redis) => redis.cluster('INFO'))),
    );
    return infos.every((info) => String(info).includes('cluster_state:ok'));
  }

  private async onNode<T>(server: RedisServer, action: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = new Redis(server.url, { maxRetriesPerRequest: 0 });
    try {
      return await action(redis);
    } finally {
      redis.disconnect();
    }
  }
}
