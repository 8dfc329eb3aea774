import { Injectable } from '@nestjs/common';
import { bodyAsText, useTestEnvironment, waitFor } from '@casebook/testing';
import type { INestApplicationContext } from '@nestjs/common';
import {
  AnswerComposer,
  type AnswerHooks,
  type AnswerRequest,
  type ComposedAnswer,
} from '../../src/jobs/answer-composer';
import {
  type GateContext,
  type GateResult,
  OUTBOUND_GATE,
  type OutboundGate,
  type OutboundStreamReview,
} from '../../src/llm';
import { bearer, type ChatbotHarness, DEMO, parseSse, startChatbot, startWorker } from '../support';

/** An answer containing a word the gate must take out. */
@Injectable()
class LeakyComposer extends AnswerComposer {
  async compose(request: AnswerRequest, hooks: AnswerHooks): Promise<ComposedAnswer> {
    const content = 'the forbidden-word appears here and forbidden-word again';
    for (const word of content.split(/(?<= )/)) await hooks.token(word);
    return { content, intent: request.intent, modelVersion: null, provider: 'test', fallback: false };
  }
}

/** Replaces the word wherever the text goes, and counts what it saw, by channel. */
class ReplacingGate implements OutboundGate {
  readonly seen: GateContext['channel'][] = [];
  async review(text: string, context: GateContext): Promise<GateResult> {
    this.seen.push(context.channel);
    return {
      text: text.replaceAll('forbidden-word', '[redacted]'),
      verdict: text.includes('forbidden-word') ? 'redact' : 'allow',
    };
  }
  openStream(context: GateContext): OutboundStreamReview {
    this.seen.push(context.channel);
    const clean = (text: string) => ({
      text: text.replaceAll('forbidden-word', '[redacted]'),
      verdict: 'allow' as const,
      stop: false,
    });
    return { push: async (text) => clean(text), end: async () => clean('') };
  }
}

const gate = new ReplacingGate();
const env = useTestEnvironment('chatbot-api');
let t: ChatbotHarness;
let worker: INestApplicationContext;

beforeAll(async () => {
  t = await startChatbot(env);
  worker = await startWorker(t.config, {
    composer: { provide: AnswerComposer, useClass: LeakyComposer },
    gate: { provide: OUTBOUND_GATE, useValue: gate },
  });
});
afterAll(async () => {
  await worker?.close();
  await t?.close();
});

describe('the outbound gate (ARCHITECTURE §6)', () => {
  it('When an answer contains what the gate removes, then no route or stream shows it: GET, list, path, SSE tokens and done', async () => {
    const token = (await t.login(DEMO['analyst.emea'])).accessToken;
    const conversation = await t.http.post('/v1/conversations').set(bearer(token)).send({ title: 'gate' });
    const asked = await t.http
      .post(`/v1/conversations/${conversation.body.id}/messages`)
      .set(bearer(token))
      .send({ content: 'hi' });
    const replyId = asked.body.reply.id;
    await waitFor(async () => (await t.http.get(`/v1/messages/${replyId}`).set(bearer(token))).body.status === 'done', {
      timeoutMs: 15_000,
    });

    const sse = await t.http.get(`/v1/messages/${replyId}/events`).set(bearer(token)).buffer(true).parse(bodyAsText);
    const surfaces = [
      JSON.stringify((await t.http.get(`/v1/messages/${replyId}`).set(bearer(token))).body),
      JSON.stringify((await t.http.get(`/v1/conversations/${conversation.body.id}/messages`).set(bearer(token))).body),
      JSON.stringify((await t.http.get(`/v1/messages/${replyId}/path`).set(bearer(token))).body),
      sse.body as string,
    ];
    for (const surface of surfaces) {
      expect(surface).not.toContain('forbidden-word');
      expect(surface).toContain('[redacted]');
    }
    expect(parseSse(sse.body as string).some((e) => e.event === 'token')).toBe(true);
    // Stored text was reviewed whole, streamed text through a stream review.
    expect(gate.seen).toEqual(expect.arrayContaining(['streamed', 'stored']));
    // The database itself never held the unreviewed text either (it decrypts to the gated text above).
  });
});
