import type Redis from 'ioredis';
import { createRedis, ProblemError } from '@casebook/platform';
import { freePort, TEST_REDIS_URL, waitFor } from '@casebook/testing';
import { AuditRecorder, ChainWriter, OutboxRelay, StreamConsumer, ensureGroup, verifyDatabase } from '../src';
// The wire format itself, to write entries the way a recorder in another process would.
import { encodeStreamEntry as encodeStreamEntryForTests } from '../src/capture/stream-entry';
import { useAuditEnvironment } from './support/audit-environment';
import { buildEvents, buildInput, pseudonymizer } from './support/events';

const env = useAuditEnvironment();
const GROUP = 'audit-writers';
let redis: Redis;
let streamCount = 0;

function redisClient(): Redis {
  return createRedis({ url: TEST_REDIS_URL, keyPrefix: env.redisPrefix, connectionName: 'audit-test' });
}

/** Each test its own stream, so pending entries of one test never meet another. */
function newStream(): string {
  streamCount += 1;
  return `audit:events:${streamCount}`;
}

function consumer(
  stream: string,
  name: string,
  overrides: Partial<ConstructorParameters<typeof StreamConsumer>[0]> = {},
) {
  return new StreamConsumer({
    redis: redisClient(),
    streamKey: stream,
    group: GROUP,
    consumerName: name,
    writer: new ChainWriter(env.db),
    batchSize: 100,
    blockMs: 50,
    claimIdleMs: 60_000,
    ...overrides,
  });
}

async function storedCount(ids: string[]): Promise<number> {
  const [row] = await env.db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM audit_events WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return row!.count;
}

beforeAll(async () => {
  redis = redisClient();
  await waitFor(() => redis.status === 'ready', { timeoutMs: 10_000 });
});
afterAll(() => redis?.quit());

describe('request path → Redis stream → consumer → Postgres', () => {
  it('When events are recorded in one event-loop turn, then they share one stream entry', async () => {
    const stream = newStream();
    const recorder = new AuditRecorder({ pseudonymizer, redis, streamKey: stream, db: null, failureMode: 'closed' });
    await Promise.all(Array.from({ length: 50 }, () => recorder.record(buildInput())));
    expect(await redis.xlen(stream)).toBe(1);
  });

  it('When the consumer runs, then every recorded event is stored once and the stream is emptied', async () => {
    const stream = newStream();
    const recorder = new AuditRecorder({ pseudonymizer, redis, streamKey: stream, db: null, failureMode: 'closed' });
    const events = await Promise.all(Array.from({ length: 120 }, () => recorder.record(buildInput())));
    const worker = consumer(stream, 'c-1');
    await worker.start();
    try {
      const ids = events.map((event) => event.id);
      await waitFor(async () => (await storedCount(ids)) === 120, { timeoutMs: 15_000, message: 'events not stored' });
      await waitFor(async () => (await redis.xlen(stream)) === 0, { timeoutMs: 15_000, message: 'stream not emptied' });
    } finally {
      await worker.stop();
    }
  });

  it('When a consumer died holding entries, then another reclaims them after the idle time', async () => {
    const stream = newStream();
    await ensureGroup(redis, stream, GROUP);
    const events = buildEvents(30);
    await redis.xadd(stream, '*', ...encodeStreamEntryForTests(events));
    // The dead consumer read the entry and never acknowledged it.
    await redis.xreadgroup('GROUP', GROUP, 'dead-1', 'COUNT', 10, 'STREAMS', stream, '>');
    const worker = consumer(stream, 'c-2', { claimIdleMs: 200 });
    await worker.start();
    try {
      await waitFor(async () => (await storedCount(events.map((e) => e.id))) === 30, {
        timeoutMs: 15_000,
        message: 'pending entries of the dead consumer were not reclaimed',
      });
      await waitFor(async () => ((await redis.xpending(stream, GROUP)) as [number])[0] === 0, { timeoutMs: 15_000 });
    } finally {
      await worker.stop();
    }
  });

  it('When a consumer committed a batch but died before XACK, then the redelivered entry stores nothing twice', async () => {
    const stream = newStream();
    await ensureGroup(redis, stream, GROUP);
    const events = buildEvents(20);
    await redis.xadd(stream, '*', ...encodeStreamEntryForTests(events));
    await redis.xreadgroup('GROUP', GROUP, 'crashed-1', 'COUNT', 10, 'STREAMS', stream, '>');
    await new ChainWriter(env.db).append(events); // committed…
    const head = await new ChainWriter(env.db).head(); // …and then the process was killed before XACK
    const worker = consumer(stream, 'c-3', { claimIdleMs: 200 });
    await worker.start();
    try {
      await waitFor(async () => ((await redis.xpending(stream, GROUP)) as [number])[0] === 0, { timeoutMs: 15_000 });
      expect(await storedCount(events.map((e) => e.id))).toBe(20);
      expect((await new ChainWriter(env.db).head()).seq).toBe(head.seq);
    } finally {
      await worker.stop();
    }
  });

  it('When an entry cannot be parsed, then it is set aside in the dead-letter stream and the rest are stored', async () => {
    const stream = newStream();
    await ensureGroup(redis, stream, GROUP);
    const good = buildEvents(3);
    await redis.xadd(stream, '*', 'v', '1', 'e', 'not json');
    await redis.xadd(stream, '*', ...encodeStreamEntryForTests([...good, { id: 'not an event' }]));
    const worker = consumer(stream, 'c-4');
    await worker.start();
    try {
      await waitFor(async () => (await storedCount(good.map((e) => e.id))) === 3, { timeoutMs: 15_000 });
      await waitFor(async () => (await redis.xlen(`${stream}:dead`)) === 2, { timeoutMs: 15_000 });
      expect(await redis.xlen(stream)).toBe(0);
    } finally {
      await worker.stop();
    }
    expect((await verifyDatabase(env.db)).ok).toBe(true);
  });
});

describe('when Redis is down', () => {
  let down: Redis;

  beforeAll(async () => {
    // Nothing listens on the port: with the offline queue off, every command fails at once.
    down = createRedis({
      url: `redis://127.0.0.1:${await freePort()}`,
      keyPrefix: env.redisPrefix,
      connectionName: 'audit-test-down',
      options: { lazyConnect: true, retryStrategy: () => null, disconnectTimeout: 10 },
    });
  });
  afterAll(() => down?.disconnect());

  it('When the stream refuses events, then they go to the Postgres outbox and the relay chains them', async () => {
    const recorder = new AuditRecorder({
      pseudonymizer,
      redis: down,
      streamKey: 'audit:events',
      db: env.db,
      failureMode: 'closed',
    });
    const events = await Promise.all(Array.from({ length: 10 }, () => recorder.record(buildInput())));
    const [{ count }] = await env.db.query<{ count: number }>('SELECT count(*)::int AS count FROM audit_outbox');
    expect(count).toBe(10);
    const relay = new OutboxRelay({ writer: new ChainWriter(env.db), batchSize: 4, pollMs: 50 });
    expect(await relay.drain()).toBe(10);
    expect(await storedCount(events.map((e) => e.id))).toBe(10);
    const [{ left }] = await env.db.query<{ left: number }>('SELECT count(*)::int AS left FROM audit_outbox');
    expect(left).toBe(0);
  });

  it('When neither Redis nor Postgres takes the event, then the request fails with 503 (closed) or goes on (open)', async () => {
    const closed = new AuditRecorder({
      pseudonymizer,
      redis: down,
      streamKey: 'audit:events',
      db: null,
      failureMode: 'closed',
    });
    await expect(closed.record(buildInput())).rejects.toMatchObject({
      status: 503,
      code: 'AUDIT_UNAVAILABLE',
    } satisfies Partial<ProblemError>);
    const open = new AuditRecorder({
      pseudonymizer,
      redis: down,
      streamKey: 'audit:events',
      db: null,
      failureMode: 'open',
    });
    await expect(open.record(buildInput())).resolves.toMatchObject({ action: 'conversation.read' });
  });
});
