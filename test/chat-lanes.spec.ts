import { FakeOpenAiServer, type TestApp, useTestEnvironment, waitFor } from '@casebook/testing';
import { bearer, PASSWORD, type Platform, startPlatform } from './support/platform';

// Q4.1 with the real answer pipeline: the worker classifies, asks the real query-service, and streams from the
// `openai` provider pointed at a local fake vendor that holds long generations until the test releases them.
// Here, and not in services/chatbot-api/test, because it boots two services (they never import each other).
let chatbot: TestApp;
let llm: FakeOpenAiServer;
let releaseLong: () => void = () => undefined;
const longReleased = new Promise<void>((resolve) => (releaseLong = resolve));
const started: Partial<Platform> = {};
// Declared before the environments: Jest runs afterAll hooks in declaration order, and the worker must stop
// before its database and Redis prefix are dropped.
afterAll(async () => {
  releaseLong();
  await started.worker?.close();
  await started.query?.close();
  await started.chatbot?.close();
  await llm?.close();
});
const chatbotEnv = useTestEnvironment('chatbot-api');
const queryEnv = useTestEnvironment('query-service');
const LONG_CONCURRENCY = 2;
/** From the POST to status done, on a loaded 2-core CI machine; an idle one answers in well under a second. */
const SHORT_BUDGET_MS = 5_000;

beforeAll(async () => {
  llm = await FakeOpenAiServer.start({ apiKey: 'sk-test', text: 'EMEA sold well in the first quarter.' });
  ({ chatbot } = await startPlatform(
    { chatbot: chatbotEnv, query: queryEnv },
    {
      warehouseRows: 5_000,
      chatbot: { RATE_LIMIT_TIERS: 'admin=100000/60:10000,analyst=100000/60:10000,guest=100000/60:10000' },
      worker: {
        LLM_PROVIDER: 'openai',
        LLM_BASE_URL: llm.baseUrl,
        LLM_API_KEY: 'sk-test',
        // A held generation is silent until released; the vendor stall watchdog must not cut it first.
        LLM_STALL_TIMEOUT_MS: '60000',
        QUEUE_LONG_CONCURRENCY: String(LONG_CONCURRENCY),
        QUEUE_SHORT_CONCURRENCY: '2',
      },
    },
    started,
  ));
}, 120_000);

describe('lanes with a slow LLM (Q4.1)', () => {
  it('When long LLM generations fill their lane, then a short analytics answer completes within its budget while they are still streaming', async () => {
    const login = await chatbot.http
      .post('/v1/auth/login')
      .send({ email: 'analyst.emea@casebook.dev', password: PASSWORD });
    const token = login.body.accessToken;
    const conversation = await chatbot.http.post('/v1/conversations').set(bearer(token)).send({ title: 'lanes' });
    const post = (content: string) =>
      chatbot.http.post(`/v1/conversations/${conversation.body.id}/messages`).set(bearer(token)).send({ content });
    const reply = async (id: string) => (await chatbot.http.get(`/v1/messages/${id}`).set(bearer(token))).body;

    // The first LONG_CONCURRENCY generations trickle their text, then hold their last token until released.
    const longText = 'A long report, written slowly. '.repeat(4);
    llm.enqueue(
      ...Array.from({ length: LONG_CONCURRENCY }, () => ({
        kind: 'respond' as const,
        text: longText,
        tokenDelayMs: 20,
        until: longReleased,
      })),
    );
    const longs = await Promise.all([
      post('write a detailed report on revenue in EMEA for 2024 by category'),
      post('write an essay about margin in EMEA for 2024 by category'),
    ]);
    expect(longs.map((l) => [l.status, l.body.reply.lane])).toEqual([
      [202, 'long'],
      [202, 'long'],
    ]);
    // The long lane is full: both generations are open at the vendor.
    await waitFor(() => llm.inFlight === LONG_CONCURRENCY, {
      timeoutMs: 20_000,
      message: 'the long generations did not reach the LLM',
    });

    const postedAt = Date.now();
    const short = await post('sales in EMEA for Q1 2024');
    expect([short.status, short.body.reply.lane]).toEqual([202, 'short']);
    const answered = await waitFor(
      async () => {
        const body = await reply(short.body.reply.id);
        return body.status === 'done' ? body : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50, message: 'the short answer waited behind the long generations' },
    );
    const latencyMs = Date.now() - postedAt;

    // The proof: at the moment the short answer is done, the long ones are still generating.
    const longReplies = await Promise.all(longs.map((l) => reply(l.body.reply.id)));
    expect(longReplies.map((r) => r.status)).toEqual(['running', 'running']);
    expect(llm.inFlight).toBe(LONG_CONCURRENCY);
    expect(llm.completedGenerations).toBe(1);
    // The short answer went through the whole pipeline, phrased by the (fake) vendor, not a fallback.
    expect(answered).toMatchObject({ intent: 'sales_summary', provider: 'openai:gpt-4o-mini', fallback: false });
    expect(answered.content).toBe('EMEA sold well in the first quarter.');
    expect(latencyMs).toBeLessThan(SHORT_BUDGET_MS);

    releaseLong();
    for (const long of longs) {
      const done = await waitFor(
        async () => {
          const body = await reply(long.body.reply.id);
          return body.status === 'done' ? body : undefined;
        },
        { timeoutMs: 10_000, message: 'a released long generation did not finish' },
      );
      expect(done).toMatchObject({ provider: 'openai:gpt-4o-mini', fallback: false });
      expect(done.content).toBe(longText.trim());
    }
  });
});
