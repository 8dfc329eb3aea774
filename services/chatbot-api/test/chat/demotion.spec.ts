import type { INestApplicationContext } from '@nestjs/common';
import { useTestEnvironment, waitFor } from '@casebook/testing';
import { ownerScopeOfAnswerJob } from '../../src/conversations/owner-scope';
import { MessagesRepository } from '../../src/messages/messages.repository';
import { bearer, type ChatbotHarness, DEMO, startChatbot, startWorker } from '../support';

// Q8.3 (and Q4.3's draft reuse): analysts demoted to guest while their questions wait in the queue.
const env = useTestEnvironment('chatbot-api');
let t: ChatbotHarness;
let worker: INestApplicationContext | undefined;
let admin: string;

const REFUSAL = /Your role does not include warehouse data/;
const DRAFT = 'Revenue in AMER for 2024: €9.87M (a draft written while the user was still an analyst)';

beforeAll(async () => {
  t = await startChatbot(env);
  admin = (await t.login(DEMO.admin)).accessToken;
});
afterAll(async () => {
  await worker?.close();
  await t?.close();
});

async function askQueued(email: string, question: string) {
  const token = (await t.login(email)).accessToken;
  const conversation = await t.http.post('/v1/conversations').set(bearer(token)).send({ title: 'before demotion' });
  const posted = await t.http
    .post(`/v1/conversations/${conversation.body.id}/messages`)
    .set(bearer(token))
    .send({ content: question });
  expect(posted.status).toBe(202);
  return { conversationId: conversation.body.id as string, replyId: posted.body.reply.id as string };
}

async function demote(email: string) {
  const res = await t.http
    .patch(`/v1/admin/users/${await t.userId(email)}`)
    .set(bearer(admin))
    .send({ roles: ['guest'] });
  expect(res.status).toBe(200);
}

describe('a role downgrade while questions are queued (Q8.3)', () => {
  it('When analysts are demoted before the worker answers, then each gets a refusal (never the data nor an earlier draft), keeps reading their conversations, and the question records the role it was asked with', async () => {
    // No worker yet: both questions wait in the queue, asked as analysts.
    const emea = await askQueued(DEMO['analyst.emea'], 'revenue in EMEA for 2024 by category');
    const amer = await askQueued(DEMO['analyst.amer'], 'revenue in AMER for 2024 by category');
    // An earlier attempt of amer's job generated an answer before it crashed (Q4.3's draft).
    const amerId = await t.userId(DEMO['analyst.amer']);
    await t.app
      .get(MessagesRepository)
      .saveDraft(ownerScopeOfAnswerJob({ replyId: amer.replyId, ownerId: amerId }), amer.replyId, DRAFT);

    await demote(DEMO['analyst.emea']);
    await demote(DEMO['analyst.amer']);
    worker = await startWorker(t.config);

    for (const [email, asked] of [
      [DEMO['analyst.emea'], emea],
      [DEMO['analyst.amer'], amer],
    ] as const) {
      // Signed in again: the demotion revoked the analyst token; the guest token reads the same conversation.
      const guest = (await t.login(email)).accessToken;
      const reply = await waitFor(
        async () => {
          const res = await t.http.get(`/v1/messages/${asked.replyId}`).set(bearer(guest));
          return res.body.status === 'done' ? res.body : undefined;
        },
        { timeoutMs: 20_000, message: `no answer for ${email}` },
      );
      expect(reply.content).toMatch(REFUSAL);
      expect(reply.content).not.toContain('€');
      const history = await t.http.get(`/v1/conversations/${asked.conversationId}/messages`).set(bearer(guest));
      expect(history.status).toBe(200);
      expect(history.body.data.map((m: { author: string }) => m.author)).toEqual(['user', 'assistant']);
      const [question] = await t.db.query(
        "SELECT actor_role FROM messages WHERE conversation_id = $1 AND author = 'user'",
        [asked.conversationId],
      );
      expect(question.actor_role).toBe('analyst');
    }
  });
});
