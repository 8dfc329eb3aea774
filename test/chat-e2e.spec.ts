import { TokenIssuer } from '@casebook/auth';
import { QueryClient } from '@casebook/chatbot-api';
import { bodyAsText, type TestApp, useTestEnvironment, waitFor } from '@casebook/testing';
import { bearer, PASSWORD, type Platform, startPlatform, urlOf } from './support/platform';

// Case study 1 end to end: chatbot-api issues the token, the worker asks the real query-service (which
// verifies the worker's service token through chatbot-api's JWKS) and the template provider phrases
// the rows. Only the warehouse size is small.
let chatbot: TestApp;
let query: TestApp;
/** What has started, so that afterAll closes it even when a later part failed to start. */
const started: Partial<Platform> = {};
// Declared before the environments: Jest runs afterAll hooks in declaration order, and the worker must stop
// before its database and Redis prefix are dropped.
afterAll(async () => {
  await started.worker?.close();
  await started.query?.close();
  await started.chatbot?.close();
});
const chatbotEnv = useTestEnvironment('chatbot-api');
const queryEnv = useTestEnvironment('query-service');

beforeAll(async () => {
  ({ chatbot, query } = await startPlatform(
    { chatbot: chatbotEnv, query: queryEnv },
    { warehouseRows: 20_000 },
    started,
  ));
}, 120_000);

async function ask(email: string, question: string): Promise<{ content: string; events: string }> {
  const login = await chatbot.http.post('/v1/auth/login').send({ email, password: PASSWORD });
  const token = login.body.accessToken;
  const conversation = await chatbot.http.post('/v1/conversations').set(bearer(token)).send({ title: 'e2e' });
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
  return { content: reply.content as string, events: events.body as string };
}

describe('chatbot end to end (ARCHITECTURE §1)', () => {
  it('When analyst.emea asks for EMEA revenue, then SSE delivers an answer grounded in the warehouse numbers for EMEA', async () => {
    const { content, events } = await ask('analyst.emea@casebook.dev', 'revenue in EMEA for 2024 by category');
    expect(events).toContain('event: done');
    // The same question asked of the query service directly, as the same user: the numbers must match.
    const login = await chatbot.http
      .post('/v1/auth/login')
      .send({ email: 'analyst.emea@casebook.dev', password: PASSWORD });
    const direct = await query.http
      .post('/v1/queries')
      .set(bearer(login.body.accessToken))
      .send({ question: 'revenue in EMEA for 2024 by category' });
    expect(direct.status).toBe(200);
    expect(direct.body.rows.length).toBeGreaterThan(1);
    const total = direct.body.rows.reduce((sum: number, row: { revenue: number }) => sum + row.revenue, 0);
    expect(content).toContain(`Total: €${(total / 1e6).toFixed(2)}M`);
    expect(content).toMatch(/^Revenue in EMEA/);
    for (const other of ['AMER', 'APAC', 'LATAM']) expect(content).not.toContain(other);
  });

  it('When analyst.amer asks about EMEA, then the answer is a refusal, not data', async () => {
    const { content } = await ask('analyst.amer@casebook.dev', 'revenue in EMEA for 2024 by category');
    expect(content).toMatch(/AMER region only/);
  });

  it('When 500 users of one region ask the same question at once, then the worker makes one query-service call (Q9.2)', async () => {
    const client = new QueryClient({ baseUrl: await urlOf(query), timeoutMs: 10_000 }, chatbot.app.get(TokenIssuer));
    const metrics = async () => {
      const text = (await query.http.get('/metrics')).text;
      return Number(
        /http_requests_total\{method="POST",route="\/v1\/queries",status_code="200"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0,
      );
    };
    const before = await metrics();
    try {
      const answers = await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          client.ask('sales in EMEA for 2023 by category', { id: `user-${i}`, roles: ['analyst'], region: 'EMEA' }),
        ),
      );
      expect(new Set(answers.map((a) => JSON.stringify(a.rows))).size).toBe(1);
      expect(client.calls).toBe(1);
      expect((await metrics()) - before).toBe(1);
    } finally {
      client.close();
    }
  });
});
