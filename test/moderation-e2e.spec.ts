import { FakeOpenAiServer, bodyAsText, type TestApp, useTestEnvironment, waitFor } from '@casebook/testing';
import { bearer, PASSWORD, type Platform, startPlatform } from './support/platform';

// Case study 3 end to end (Q21.1, Q21.3): the worker streams a vendor generation whose text holds an
// email and a card number, split across tokens as a model emits them; the chatbot's gate must redact both
// before any byte of them reaches the SSE client, and store only the redacted text.
let chatbot: TestApp;
let llm: FakeOpenAiServer;
const started: Partial<Platform> = {};
// Declared before the environments: the worker must stop before its database and Redis prefix are dropped.
afterAll(async () => {
  await started.worker?.close();
  await started.query?.close();
  await started.chatbot?.close();
  await llm?.close();
});
const chatbotEnv = useTestEnvironment('chatbot-api');
const queryEnv = useTestEnvironment('query-service');

const EMAIL = 'jane.doe@example.com';
const CARD = '4111 1111 1111 1111';
const GENERATION = `For the full EMEA report write to ${EMAIL} and settle the invoice with card ${CARD} as agreed.`;

beforeAll(async () => {
  llm = await FakeOpenAiServer.start({ apiKey: 'sk-test', text: GENERATION });
  ({ chatbot } = await startPlatform(
    { chatbot: chatbotEnv, query: queryEnv },
    {
      warehouseRows: 5_000,
      worker: { LLM_PROVIDER: 'openai', LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: 'sk-test' },
    },
    started,
  ));
}, 120_000);

async function askStreamed(question: string): Promise<{ events: string; content: string }> {
  const login = await chatbot.http
    .post('/v1/auth/login')
    .send({ email: 'analyst.emea@casebook.dev', password: PASSWORD });
  const token = login.body.accessToken;
  const conversation = await chatbot.http.post('/v1/conversations').set(bearer(token)).send({ title: 'pii' });
  const posted = await chatbot.http
    .post(`/v1/conversations/${conversation.body.id}/messages`)
    .set(bearer(token))
    .send({ content: question });
  expect(posted.status).toBe(202);
  const replyId = posted.body.reply.id;
  const events = await chatbot.http
    .get(`/v1/messages/${replyId}/events`)
    .set(bearer(token))
    .buffer(true)
    .parse(bodyAsText);
  const reply = await waitFor(
    async () => {
      const res = await chatbot.http.get(`/v1/messages/${replyId}`).set(bearer(token));
      return res.body.status === 'done' ? res.body : undefined;
    },
    { timeoutMs: 30_000, message: 'no answer' },
  );
  return { events: events.body as string, content: reply.content as string };
}

describe('moderation end to end through the platform', () => {
  it('When a streamed answer holds an email and a card number, then SSE carries neither (not one digit of the card) and the stored reply is redacted', async () => {
    const { events, content } = await askStreamed('write a detailed report on revenue in EMEA for 2024 by category');

    expect(events).toContain('event: done');
    // The generation was really streamed in pieces and did reach the client, redacted.
    expect(llm.requests.length).toBeGreaterThan(0);
    expect(events).toContain('settle the invoice');
    expect(events).not.toContain(EMAIL);
    expect(events).not.toContain('jane.doe');
    // Event ids are timestamps, and the done event names the model (gpt-4o-mini): what the client reads
    // of the answer is the rest of the data.
    const data = events
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .join('\n')
      .replace(/"provider":"[^"]*"/g, '');
    expect(data).not.toMatch(/\d/);
    expect(content).toContain('settle the invoice');
    expect(content).not.toContain(EMAIL);
    expect(content).not.toMatch(/\d/);
  });
});
