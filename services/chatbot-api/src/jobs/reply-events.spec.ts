import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { deleteKeysWithPrefix, TEST_REDIS_URL, testRedisPrefix, waitFor } from '@casebook/testing';
import { ReplyEventLog, ReplyNotifications } from './reply-events';

// Q4.2: readers of a reply's events are woken by pub/sub. The reader arms its wake-up before it reads, so an
// event appended between its read and its wait still wakes it at once (no lost wake-up, no fallback poll).
const prefix = testRedisPrefix();
const channel = `${prefix}reply-events`;
const FALLBACK_MS = 5_000;
let redis: Redis;
let subscriber: Redis;
let log: ReplyEventLog;
let notifications: ReplyNotifications;

beforeAll(async () => {
  redis = new Redis(TEST_REDIS_URL, { keyPrefix: prefix });
  subscriber = new Redis(TEST_REDIS_URL);
  log = new ReplyEventLog(redis, channel);
  notifications = new ReplyNotifications(subscriber, channel);
  // The subscription is live once Redis counts the subscriber on the channel.
  await waitFor(async () => {
    const [, subscribers] = (await redis.call('PUBSUB', 'NUMSUB', channel)) as [string, number];
    return subscribers === 1;
  });
});
afterAll(async () => {
  notifications.close();
  await redis.quit();
  await deleteKeysWithPrefix(prefix);
});

describe('reply event notifications', () => {
  it('When an event is appended after the read but before the wait, then the armed reader wakes at once', async () => {
    const replyId = 'reply-lost-wakeup';
    const wake = notifications.arm(replyId, FALLBACK_MS, new AbortController().signal);
    expect(await log.after(replyId, '0')).toEqual([]);
    // The worker appends while the reader is between its (empty) read and its wait.
    await log.append(replyId, 'done', '{}');
    const started = performance.now();
    await wake.woken;
    expect(performance.now() - started).toBeLessThan(FALLBACK_MS / 2);
    expect((await log.after(replyId, '0')).map((event) => event.type)).toEqual(['done']);
  });

  it('When a reader is cancelled, then its wait ends and no listener is left behind', async () => {
    const wake = notifications.arm('reply-cancelled', FALLBACK_MS, new AbortController().signal);
    wake.cancel();
    await expect(wake.woken).resolves.toBeUndefined();
    const listeners = (notifications as unknown as { emitter: NodeJS.EventEmitter }).emitter.listenerCount(
      'reply-cancelled',
    );
    expect(listeners).toBe(0);
  });
});
