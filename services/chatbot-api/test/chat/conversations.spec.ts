import { bodyAsText, useTestEnvironment, waitFor } from '@casebook/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { bearer, type ChatbotHarness, DEMO, parseSse, startChatbot, startWorker } from '../support';

const env = useTestEnvironment('chatbot-api');
let t: ChatbotHarness;
let worker: INestApplicationContext;
let token: string;

beforeAll(async () => {
  t = await startChatbot(env);
  worker = await startWorker(t.config);
  token = (await t.login(DEMO['analyst.emea'])).accessToken;
});
afterAll(async () => {
  await worker?.close();
  await t?.close();
});

const as = (jwt = token) => bearer(jwt);

async function conversation(title = 'Q1 review', jwt = token): Promise<string> {
  const res = await t.http.post('/v1/conversations').set(as(jwt)).send({ title });
  expect(res.status).toBe(201);
  expect(res.headers.location).toBe(`/v1/conversations/${res.body.id}`);
  return res.body.id;
}

async function ask(
  conversationId: string,
  content: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return t.http
    .post(`/v1/conversations/${conversationId}/messages`)
    .set(as())
    .set(headers)
    .send({ content, ...extra });
}

async function answered(replyId: string) {
  return waitFor(
    async () => {
      const res = await t.http.get(`/v1/messages/${replyId}`).set(as());
      return res.body.status === 'done' ? res.body : undefined;
    },
    { timeoutMs: 15_000, message: `reply ${replyId} not answered` },
  );
}

describe('conversations', () => {
  it('When conversations are listed, then only mine come back, newest first, page by page', async () => {
    const ids = [await conversation('first'), await conversation('second'), await conversation('third')];
    const other = (await t.login(DEMO['analyst.amer'])).accessToken;
    const notMine = await conversation('not mine', other);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.http
        .get('/v1/conversations')
        .set(as())
        .query({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    // Newest first (the seeded demo conversations are older), each once, none of someone else's.
    expect(seen.slice(0, 3)).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain(notMine);
  });

  it('When a title is stored, then the database holds ciphertext, not the text', async () => {
    const id = await conversation('Acquisition target: Contoso');
    const [{ stored }] = await t.db.query('SELECT title_ciphertext AS stored FROM conversations WHERE id = $1', [id]);
    expect(Buffer.from(stored).toString('utf8')).not.toContain('Contoso');
  });
});

describe('messages (Q3.1, Q4.2)', () => {
  it('When a question is posted, then 202 points at the queued reply, and the worker answers it', async () => {
    const id = await conversation();
    const res = await ask(id, 'revenue in EMEA for Q1 2024 by category');
    expect(res.status).toBe(202);
    expect(res.body.reply).toMatchObject({ status: 'queued', lane: 'short' });
    expect(res.headers.location).toBe(`/v1/messages/${res.body.reply.id}`);
    const reply = await answered(res.body.reply.id);
    expect(reply).toMatchObject({ author: 'assistant', parentId: res.body.message.id, status: 'done' });
    expect(reply.content.length).toBeGreaterThan(0);
  });

  it('When someone else asks for my message, then 404', async () => {
    const id = await conversation();
    const res = await ask(id, 'top products in EMEA');
    const other = (await t.login(DEMO['analyst.amer'])).accessToken;
    expect((await t.http.get(`/v1/messages/${res.body.message.id}`).set(as(other))).status).toBe(404);
    expect((await t.http.post(`/v1/conversations/${id}/messages`).set(as(other)).send({ content: 'hi' })).status).toBe(
      404,
    );
  });

  it('When I branch from an earlier message, then its path runs from the root through the branch point', async () => {
    const id = await conversation();
    const first = await ask(id, 'sales in Q1 2024');
    const firstReply = await answered(first.body.reply.id);
    const mainline = await ask(id, 'and Q2?', { parentId: firstReply.id });
    const branch = await ask(id, 'what about APAC instead?', { parentId: first.body.message.id });
    expect(branch.status).toBe(202);
    const path = await t.http.get(`/v1/messages/${branch.body.reply.id}/path`).set(as());
    expect(path.body.data.map((m: { id: string }) => m.id)).toEqual([
      first.body.message.id,
      branch.body.message.id,
      branch.body.reply.id,
    ]);
    expect(path.body.data.map((m: { id: string }) => m.id)).not.toContain(mainline.body.message.id);
  });

  it('When the branch point belongs to another conversation, then 400 names parentId', async () => {
    const a = await conversation();
    const b = await conversation();
    const inA = await ask(a, 'sales?');
    const res = await ask(b, 'follow-up', { parentId: inA.body.message.id });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('parentId');
  });

  it('When messages are listed, then every branch comes back in order with cursor pages', async () => {
    const id = await conversation();
    for (const q of ['one', 'two', 'three']) await ask(id, q);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.http
        .get(`/v1/conversations/${id}/messages`)
        .set(as())
        .query({ limit: 4, ...(cursor ? { cursor } : {}) });
      ids.push(...res.body.data.map((m: { id: string }) => m.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(6); // three questions, three replies
    expect(new Set(ids).size).toBe(6);
  });
});

describe('Idempotency-Key', () => {
  it('When the same key and body are sent twice, then the first response comes back and nothing is written twice', async () => {
    const id = await conversation();
    const first = await ask(id, 'sales in March', {}, { 'idempotency-key': 'retry-1' });
    const second = await ask(id, 'sales in March', {}, { 'idempotency-key': 'retry-1' });
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const [{ count }] = await t.db.query('SELECT count(*)::int AS count FROM messages WHERE conversation_id = $1', [
      id,
    ]);
    expect(count).toBe(2);
  });

  it('When the same key comes with a different body, then 422', async () => {
    const id = await conversation();
    await ask(id, 'sales in March', {}, { 'idempotency-key': 'retry-2' });
    const res = await ask(id, 'sales in April', {}, { 'idempotency-key': 'retry-2' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('When the first request with a key is still in flight, then 409', async () => {
    const id = await conversation();
    const userId = await t.userId(DEMO['analyst.emea']);
    const runner = t.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(
        `INSERT INTO idempotency_keys (principal_id, key, request_hash, response_status, response_body, expires_at)
         VALUES ($1, 'retry-3', '\\x00', 0, 'null', now() + interval '1 hour')`,
        [`user:${userId}`],
      );
      const res = await ask(id, 'sales in May', {}, { 'idempotency-key': 'retry-3' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('IDEMPOTENCY_IN_FLIGHT');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('When the key is malformed, then 400 names the header', async () => {
    const id = await conversation();
    const res = await ask(id, 'sales', {}, { 'idempotency-key': 'x'.repeat(300) });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('Idempotency-Key');
  });
});

describe('following a reply over SSE (Q4.2)', () => {
  it('When the stream is followed, then status, tokens and done arrive; resuming with Last-Event-ID skips what was seen', async () => {
    const id = await conversation();
    const res = await ask(id, 'revenue trend in EMEA');
    const replyId = res.body.reply.id;
    await answered(replyId);
    const full = await t.http.get(`/v1/messages/${replyId}/events`).set(as()).buffer(true).parse(bodyAsText);
    expect(full.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = parseSse(full.body as string);
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['status', 'token', 'done']));
    const done = events[events.length - 1]!;
    expect(done.event).toBe('done');
    expect(JSON.parse(done.data).content).toBe((await t.http.get(`/v1/messages/${replyId}`).set(as())).body.content);

    const middle = events[Math.floor(events.length / 2)]!;
    const resumed = await t.http
      .get(`/v1/messages/${replyId}/events`)
      .set(as())
      .set('last-event-id', middle.id!)
      .buffer(true)
      .parse(bodyAsText);
    const rest = parseSse(resumed.body as string);
    expect(rest.map((e) => e.id)).toEqual(events.slice(events.indexOf(middle) + 1).map((e) => e.id));
  });

  it('When the event stream is gone (expired or Redis wiped), then the stored answer is sent from Postgres', async () => {
    const id = await conversation();
    const res = await ask(id, 'segment breakdown for AMER');
    const replyId = res.body.reply.id;
    const reply = await answered(replyId);
    const { default: Redis } = await import('ioredis');
    const redis = new Redis(t.config.REDIS_URL, { keyPrefix: t.config.REDIS_KEY_PREFIX });
    await redis.del(`reply:{${replyId}}:events`);
    redis.disconnect();
    const sse = await t.http.get(`/v1/messages/${replyId}/events`).set(as()).buffer(true).parse(bodyAsText);
    const events = parseSse(sse.body as string);
    expect(events).toHaveLength(1);
    expect(events[0]!.event).toBe('done');
    expect(JSON.parse(events[0]!.data).content).toBe(reply.content);
  });
});
