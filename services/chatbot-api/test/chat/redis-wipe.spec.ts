import { Injectable } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { bodyAsText, RedisServer, useTestEnvironment, waitFor } from '@casebook/testing';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { ANSWER_QUEUES, bullPrefix, MAINTENANCE_QUEUE } from '../../src/jobs/queues';
import {
  AnswerComposer,
  type AnswerHooks,
  type AnswerRequest,
  type ComposedAnswer,
} from '../../src/jobs/answer-composer';
import { bearer, type ChatbotHarness, DEMO, parseSse, startChatbot, startWorker } from '../support';

/** Answers at once and remembers which replies it composed, to count generations per reply. */
const composed: string[] = [];

@Injectable()
class CountingComposer extends AnswerComposer {
  async compose(request: AnswerRequest, hooks: AnswerHooks): Promise<ComposedAnswer> {
    composed.push(request.replyId);
    await hooks.token('recovered');
    return { content: 'recovered', intent: request.intent, modelVersion: null, provider: 'test', fallback: false };
  }
}

// Q8.4 drill "Redis wiped": this file runs FLUSHALL, so the API and the worker talk to a private redis-server.
let redis: RedisServer;
let admin: Redis;
let t: ChatbotHarness;
let worker: INestApplicationContext | undefined;
// Declared before the environment: Jest runs afterAll hooks in declaration order, and the worker must stop
// before its database is dropped.
afterAll(async () => {
  await worker?.close();
  await t?.close();
  admin?.disconnect();
  await redis?.stop();
});
const env = useTestEnvironment('chatbot-api');

beforeAll(async () => {
  redis = await RedisServer.start();
  admin = new Redis(redis.url);
  t = await startChatbot(env, {
    REDIS_URL: redis.url,
    // The sweeper treats a queued reply as orphaned after 1 s instead of 30.
    QUEUE_ORPHAN_AFTER_SECONDS: '1',
    // Workers check every second that their maintenance schedules still exist in Redis.
    QUEUE_SCHEDULE_CHECK_SECONDS: '1',
    // Guests get a small bucket (10 units, 1 back every 6 s) so a burst of list calls reaches the limit.
    RATE_LIMIT_TIERS: 'admin=100000/60:10000,senior_analyst=100000/60:10000,analyst=100000/60:10000,guest=10/60:10',
  });
});

/** Requests the limiter refused with its state in Redis (not the in-memory fallback), over all routes. */
async function rejectedInRedis(): Promise<number> {
  const text = (await t.http.get('/metrics')).text;
  const series = text.matchAll(
    /^rate_limit_decisions_total\{[^}]*decision="rejected"[^}]*backend="redis"[^}]*\} (\d+)$/gm,
  );
  return [...series].reduce((sum, [, value]) => sum + Number(value), 0);
}

/** List calls (1 unit each) until the limiter answers 429; the statuses seen on the way. */
async function burstUntilLimited(token: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 30 && !statuses.includes(429); i += 1) {
    statuses.push((await t.http.get('/v1/conversations').set(bearer(token))).status);
  }
  return statuses;
}

/** Postgres still holds the reply as queued, and it is older than QUEUE_ORPHAN_AFTER_SECONDS: the sweeper's to take. */
function untilOrphaned(replyId: string): Promise<unknown> {
  return waitFor(
    async () => {
      const [row] = await t.db.query(
        "SELECT status, created_at < now() - interval '1 second' AS orphaned FROM messages WHERE id = $1",
        [replyId],
      );
      return row.status === 'queued' && row.orphaned;
    },
    { timeoutMs: 5_000, message: 'the reply did not stay queued in Postgres' },
  );
}

describe('Redis wiped (Q8.4)', () => {
  it('When Redis is wiped with an answer queued, then the reply is still answered exactly once, sessions survive and limits recover', async () => {
    const session = await t.login(DEMO['analyst.emea']);
    const guest = (await t.login(DEMO.guest)).accessToken;
    const conversation = await t.http
      .post('/v1/conversations')
      .set(bearer(session.accessToken))
      .send({ title: 'wipe' });
    // No worker yet: the answer waits in its queue.
    const posted = await t.http
      .post(`/v1/conversations/${conversation.body.id}/messages`)
      .set(bearer(session.accessToken))
      .send({ content: 'sales in Q1 2024' });
    expect(posted.status).toBe(202);
    const replyId: string = posted.body.reply.id;
    const jobKey = `${t.config.REDIS_KEY_PREFIX}bull:answers-${posted.body.reply.lane}:${replyId}`;
    expect(await admin.exists(jobKey)).toBe(1);
    // The guest's limit is enforced before the wipe.
    expect((await burstUntilLimited(guest)).at(-1)).toBe(429);

    // Everything goes, Lua scripts included, as when Redis restarts without persistence.
    await admin.flushall();
    await admin.script('FLUSH');
    expect(await admin.dbsize()).toBe(0);

    // Sessions survive: the access token is a signed JWT whose authz version Postgres holds (and refills into
    // Redis); the refresh family lives in Postgres.
    const me = await t.http.get('/v1/me').set(bearer(session.accessToken));
    expect(me.status).toBe(200);
    const refreshed = await t.http.post('/v1/auth/refresh').send({ refreshToken: session.refreshToken });
    expect(refreshed.status).toBe(200);

    // Limits recover: the guest's bucket is gone with Redis, so it starts full again (not a 500), and the limit
    // is enforced again, decided in Redis rather than by the in-memory fallback.
    const rejectedBefore = await rejectedInRedis();
    const after = await burstUntilLimited(guest);
    expect(after[0]).toBe(200);
    expect(after.at(-1)).toBe(429);
    expect(after.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(await rejectedInRedis()).toBe(rejectedBefore + 1);

    // The job is gone with Redis; Postgres still holds the reply as queued. Once it is older than
    // QUEUE_ORPHAN_AFTER_SECONDS, the worker's sweeper (run when the worker registers its schedules) requeues it.
    expect(await admin.exists(jobKey)).toBe(0);
    await untilOrphaned(replyId);
    worker = await startWorker(t.config, { composer: { provide: AnswerComposer, useClass: CountingComposer } });

    const status = async (id: string) =>
      (await t.http.get(`/v1/messages/${id}`).set(bearer(refreshed.body.accessToken))).body;
    const reply = await waitFor(
      async () => {
        const body = await status(replyId);
        return body.status === 'done' ? body : undefined;
      },
      { timeoutMs: 10_000, message: 'the wiped job was not requeued' },
    );
    expect(reply.content).toBe('recovered');
    // Requeued under the reply's id, so a second sweep while it waits adds no second job.
    expect(await admin.exists(jobKey)).toBe(1);

    // Queues work for new questions too, through the normal enqueue.
    const next = await t.http
      .post(`/v1/conversations/${conversation.body.id}/messages`)
      .set(bearer(refreshed.body.accessToken))
      .send({ content: 'sales in Q2 2024' });
    expect(next.status).toBe(202);
    await waitFor(async () => (await status(next.body.reply.id)).status === 'done', {
      timeoutMs: 10_000,
      message: 'a question asked after the wipe was not answered',
    });

    // Exactly once: one generation and one `done` event for the wiped reply, one assistant reply to its question.
    expect(composed.filter((id) => id === replyId)).toEqual([replyId]);
    const events = await t.http
      .get(`/v1/messages/${replyId}/events`)
      .set(bearer(refreshed.body.accessToken))
      .buffer(true)
      .parse(bodyAsText);
    expect(parseSse(events.body as string).filter((e) => e.event === 'done')).toHaveLength(1);
    const [{ replies }] = await t.db.query(
      "SELECT count(*)::int AS replies FROM messages WHERE parent_id = $1 AND author = 'assistant'",
      [posted.body.message.id],
    );
    expect(replies).toBe(1);
  });

  it('When Redis is wiped while the worker runs, then its schedules come back and a lost job is answered without a restart', async () => {
    expect(worker).toBeDefined();
    const token = (await t.login(DEMO['analyst.emea'])).accessToken;
    const conversation = await t.http.post('/v1/conversations').set(bearer(token)).send({ title: 'wipe, worker up' });
    const prefix = bullPrefix(t.config.REDIS_KEY_PREFIX);
    const connections = [new Redis(redis.url), new Redis(redis.url)];
    const lane = new Queue(ANSWER_QUEUES.short, { connection: connections[0]!, prefix });
    const maintenance = new Queue(MAINTENANCE_QUEUE, { connection: connections[1]!, prefix });
    try {
      expect(await maintenance.getJobScheduler('requeue-orphans')).toBeDefined();
      // The running worker takes nothing from the paused lane, so the job is still in Redis when it is wiped.
      await lane.pause();
      const posted = await t.http
        .post(`/v1/conversations/${conversation.body.id}/messages`)
        .set(bearer(token))
        .send({ content: 'sales in Q3 2024' });
      expect(posted.body.reply.lane).toBe('short');
      const replyId: string = posted.body.reply.id;
      await untilOrphaned(replyId);

      // The job, the pause and the maintenance schedules go with the wipe; the worker keeps running.
      await admin.flushall();
      expect(await maintenance.getJobScheduler('requeue-orphans')).toBeUndefined();

      const reply = await waitFor(
        async () => {
          const body = (await t.http.get(`/v1/messages/${replyId}`).set(bearer(token))).body;
          return body.status === 'done' ? body : undefined;
        },
        { timeoutMs: 10_000, message: 'the lost job was not requeued by the running worker' },
      );
      expect(reply.content).toBe('recovered');
      expect(await maintenance.getJobScheduler('requeue-orphans')).toBeDefined();
      expect(composed.filter((id) => id === replyId)).toEqual([replyId]);
    } finally {
      await lane.close();
      await maintenance.close();
      for (const connection of connections) connection.disconnect();
    }
  });
});
