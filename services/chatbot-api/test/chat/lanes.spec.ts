import { Injectable } from '@nestjs/common';
import { useTestEnvironment, waitFor } from '@casebook/testing';
import type { INestApplicationContext } from '@nestjs/common';
import {
  AnswerComposer,
  type AnswerHooks,
  type AnswerRequest,
  type ComposedAnswer,
} from '../../src/jobs/answer-composer';
import { bearer, type ChatbotHarness, DEMO, startChatbot, startWorker } from '../support';

// The lanes with a stand-in composer; test/chat-lanes.spec.ts checks the same with the real pipeline, the real
// query-service and a slow fake LLM vendor.
/** Long-form requests hang until released, like a 30-second LLM generation; short ones answer at once. */
let releaseLong: () => void = () => undefined;
const longReleased = new Promise<void>((resolve) => (releaseLong = resolve));

@Injectable()
class SlowLongComposer extends AnswerComposer {
  async compose(request: AnswerRequest, hooks: AnswerHooks): Promise<ComposedAnswer> {
    if (request.question.startsWith('write')) await longReleased;
    await hooks.token('ok');
    return {
      content: `answer to: ${request.question}`,
      intent: request.intent,
      modelVersion: null,
      provider: 'test',
      fallback: false,
    };
  }
}

const env = useTestEnvironment('chatbot-api');
let t: ChatbotHarness;
let worker: INestApplicationContext;

beforeAll(async () => {
  // One worker slot per lane: a single long generation fills its lane completely.
  t = await startChatbot(env, { QUEUE_LONG_CONCURRENCY: '1', QUEUE_SHORT_CONCURRENCY: '1' });
  worker = await startWorker(t.config, { composer: { provide: AnswerComposer, useClass: SlowLongComposer } });
});
afterAll(async () => {
  releaseLong();
  await worker?.close();
  await t?.close();
});

describe('lanes (Q4.1)', () => {
  it('When long generations occupy their lane, then short answers are not delayed by them', async () => {
    const token = (await t.login(DEMO['analyst.emea'])).accessToken;
    const conversation = await t.http.post('/v1/conversations').set(bearer(token)).send({ title: 'lanes' });
    const post = (content: string) =>
      t.http.post(`/v1/conversations/${conversation.body.id}/messages`).set(bearer(token)).send({ content });
    const longs = await Promise.all([post('write a detailed report on EMEA'), post('write an essay about margins')]);
    expect(longs.map((l) => l.body.reply.lane)).toEqual(['long', 'long']);
    const short = await post('sales in Q1 2024');
    expect(short.body.reply.lane).toBe('short');

    const status = async (id: string) => (await t.http.get(`/v1/messages/${id}`).set(bearer(token))).body.status;
    await waitFor(async () => (await status(short.body.reply.id)) === 'done', {
      timeoutMs: 10_000,
      message: 'the short answer waited behind long generations',
    });
    // The long lane is still busy with its first job and has not started the second.
    expect(await status(longs[0]!.body.reply.id)).toBe('running');
    expect(await status(longs[1]!.body.reply.id)).toBe('queued');

    releaseLong();
    for (const long of longs) {
      await waitFor(async () => (await status(long.body.reply.id)) === 'done', { timeoutMs: 10_000 });
    }
  });
});
