import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { freePort, RedisServer, waitFor } from '@casebook/testing';
import { useAuditEnvironment } from './support/audit-environment';
import { FixtureProcess, waitUntilReady } from './support/processes';

// Child processes run the compiled fixtures (dist/testing), as `pnpm test` builds first.
jest.setTimeout(180_000);

// Registered before the environment's hooks, so the fixture processes are gone before their database is dropped.
const children: FixtureProcess[] = [];
afterAll(async () => {
  await Promise.all(children.map((child) => child.kill()));
});
const env = useAuditEnvironment();
const STREAM = 'audit:events';
let redisServer: RedisServer;
let redis: Redis;
let port: number;
let childEnv: Record<string, string | undefined>;

function fixture(entry: 'fixture-api.js' | 'fixture-consumer.js'): FixtureProcess {
  const child = new FixtureProcess(entry, childEnv);
  children.push(child);
  child.start();
  return child;
}

async function startApi(): Promise<FixtureProcess> {
  const api = fixture('fixture-api.js');
  await waitUntilReady(port, api);
  return api;
}

/**
 * One audited request per key, retried with the same Idempotency-Key and X-Request-Id until the API
 * answers 201 (a client that saw a reset connection or a 503 does exactly this).
 */
async function createThing(i: number): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v1/things`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': `thing-${i}`,
          'x-request-id': `load-${i}`,
          'x-test-user': `user-${i % 7}`,
          'x-test-roles': 'analyst',
        },
        body: '{}',
      });
      if (res.status === 201) return;
    } catch {
      // connection refused or reset: the API is being killed or restarted
    }
    await new Promise((done) => setTimeout(done, Math.min(25 * 2 ** attempt, 500)));
  }
}

/** Runs `count` requests, `concurrency` at a time, calling `onProgress` with the number acknowledged. */
async function load(
  count: number,
  concurrency: number,
  onProgress: (acked: number) => Promise<void>,
  first = 0,
): Promise<void> {
  let next = first;
  let acked = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < first + count) {
        const i = next++;
        await createThing(i);
        acked += 1;
        await onProgress(acked);
      }
    }),
  );
}

async function storedCreates(): Promise<{ events: number; ids: number; requests: number }> {
  const [row] = await env.db.query<{ events: number; ids: number; requests: number }>(
    `SELECT count(*)::int AS events, count(DISTINCT id)::int AS ids, count(DISTINCT request_id)::int AS requests
       FROM audit_events WHERE action = 'conversation.created'`,
  );
  return row!;
}

async function drained(): Promise<boolean> {
  const [length, pending] = await Promise.all([
    redis.xlen(STREAM),
    redis.xpending(STREAM, 'audit-writers') as Promise<[number]>,
  ]);
  return length === 0 && pending[0] === 0;
}

async function verifyCli(): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [
      resolve(__dirname, '../dist/cli/verify.js'),
      '--database-url',
      env.url,
    ]);
    return { code: 0, stdout };
  } catch (error) {
    return error as { code: number; stdout: string };
  }
}

beforeAll(async () => {
  // The stream's Redis is configured as production must be: AOF on, fsync on every write, no eviction.
  const dir = await mkdtemp(join(tmpdir(), 'casebook-audit-redis-'));
  redisServer = await RedisServer.start({
    args: ['--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction', '--dir', dir],
  });
  redis = new Redis(redisServer.url, { keyPrefix: env.redisPrefix });
  port = await freePort();
  childEnv = env.env({
    REDIS_URL: redisServer.url,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    AUDIT_BATCH_SIZE: '5',
    AUDIT_BLOCK_MS: '200',
    AUDIT_CLAIM_IDLE_MS: '1000',
    AUDIT_CHECKPOINT_INTERVAL_MS: '500',
    AUDIT_OUTBOX_POLL_MS: '100',
  });
});
afterAll(async () => {
  redis?.disconnect();
  await redisServer?.stop();
});

describe('no acknowledged audit event is lost when a process is killed', () => {
  it('When the API and, separately, the consumer are killed -9 during a load of N requests, then exactly N events are stored once and verify passes', async () => {
    const N = 300;
    let api = await startApi();
    let consumer = fixture('fixture-consumer.js');
    let apiKilled = false;
    let consumerKilled = false;

    await load(N, 8, async (acked) => {
      if (!apiKilled && acked >= N / 3) {
        apiKilled = true;
        await api.kill();
        api = await startApi();
      }
      if (!consumerKilled && acked >= (2 * N) / 3) {
        consumerKilled = true;
        // Killed while it has work in hand, then replaced by a consumer with another name that must
        // reclaim what the dead one left pending.
        await waitFor(async () => (await storedCreates()).events > 0, { timeoutMs: 30_000 });
        // Best effort: kill it while it holds entries it read but has not acknowledged.
        await waitFor(async () => ((await redis.xpending(STREAM, 'audit-writers')) as [number])[0] > 0, {
          timeoutMs: 5_000,
          intervalMs: 2,
        }).catch(() => undefined);
        await consumer.kill();
        consumer = fixture('fixture-consumer.js');
      }
    });
    expect(apiKilled && consumerKilled).toBe(true);

    await waitFor(async () => (await storedCreates()).events >= N && (await drained()), {
      timeoutMs: 60_000,
      message: `not all events stored: ${JSON.stringify(await storedCreates())}`,
    });
    expect(await storedCreates()).toEqual({ events: N, ids: N, requests: N });

    const verify = await verifyCli();
    expect(verify.stdout).toMatch(/audit log: OK/);
    expect(verify.code).toBe(0);
  });

  it('When Redis itself is killed -9 after acknowledging events, then its AOF brings them back and they are stored', async () => {
    await Promise.all(children.map((child) => child.kill()));
    const api = await startApi();
    const before = (await storedCreates()).events;
    // No consumer runs: the acknowledged events exist only in the stream.
    await load(40, 4, async () => undefined, 1_000);
    await api.kill();
    expect(await redis.xlen(STREAM)).toBeGreaterThan(0);

    await redisServer.stop(); // SIGKILL
    await redisServer.start(); // same port and directory: replays the AOF
    fixture('fixture-consumer.js');
    await waitFor(async () => (await storedCreates()).events === before + 40 && (await drained()), {
      timeoutMs: 60_000,
      message: 'events acknowledged before the Redis crash were not stored',
    });
    expect((await verifyCli()).code).toBe(0);
  });
});
