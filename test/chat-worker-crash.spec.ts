import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { AppModule as ChatbotModule, loadChatbotConfig, seedChatbot } from '@casebook/chatbot-api';
import { AppModule as QueryModule, loadQueryConfig, seedQuery } from '@casebook/query-service';
import { createTestApp, FakeOpenAiServer, type TestApp, useTestEnvironment, waitFor } from '@casebook/testing';

// Q4.3 drill: the worker process is killed (SIGKILL) in the middle of an LLM generation. After another
// worker takes over the stalled job there is exactly one reply, and the vendor saw exactly one completed
// generation for it. The worker runs as a real process from the build (`pnpm test` builds first).
const chatbotEnv = useTestEnvironment('chatbot-api');
const queryEnv = useTestEnvironment('query-service');
const PASSWORD = 'correct-horse-battery-staple';
const WORKER = path.join(__dirname, '../services/chatbot-api/dist/worker.js');
let chatbot: TestApp;
let query: TestApp;
let llm: FakeOpenAiServer;
let keysDir: string;
const workers: ChildProcess[] = [];

const url = async (app: TestApp) => (await app.app.getUrl()).replace('[::1]', '127.0.0.1');

function startWorkerProcess(queryUrl: string): ChildProcess {
  const child = spawn(process.execPath, [WORKER], {
    env: {
      ...process.env,
      ...chatbotEnv.env({ AUTH_KEYS_DIR: keysDir, LOG_LEVEL: 'warn' }),
      QUERY_SERVICE_URL: queryUrl,
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: llm.baseUrl,
      LLM_API_KEY: 'sk-test',
      LLM_MODEL: 'fake-model',
      LLM_STALL_TIMEOUT_MS: '20000',
      QUEUE_LOCK_MS: '2000',
    },
    stdio: 'ignore',
  });
  workers.push(child);
  return child;
}

beforeAll(async () => {
  keysDir = `/tmp/casebook-test-keys/${chatbotEnv.database.name}`;
  const config = loadChatbotConfig(
    chatbotEnv.env({
      AUTH_KEYS_DIR: keysDir,
      CASEBOOK_DEMO_PASSWORD: PASSWORD,
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
    }),
  );
  chatbot = await createTestApp({ config, module: (c, d) => ChatbotModule.forRoot(c, { logDestination: d }) });
  await chatbot.app.listen(0, '127.0.0.1');
  await seedChatbot(chatbot.app.get(DataSource), config);
  query = await createTestApp({
    config: loadQueryConfig(queryEnv.env({ AUTH_JWKS_URL: `${await url(chatbot)}/.well-known/jwks.json` })),
    module: (c, d) => QueryModule.forRoot(c, { logDestination: d }),
  });
  await query.app.listen(0, '127.0.0.1');
  await seedQuery(query.app.get(DataSource), { warehouseRows: 5_000 });
  llm = await FakeOpenAiServer.start({
    apiKey: 'sk-test',
    text: 'Revenue in EMEA for 2024 was steady across categories.',
  });
}, 120_000);
afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await llm?.close();
  await query?.close();
  await chatbot?.close();
});

it('When the worker is killed mid-generation, then after recovery there is exactly one reply and one completed generation', async () => {
  const queryUrl = await url(query);
  // Slow tokens: the generation is still streaming when the worker dies.
  llm.setBehaviour({
    kind: 'respond',
    text: 'Revenue in EMEA for 2024 was steady across all categories this year.',
    tokenDelayMs: 150,
  });
  const first = startWorkerProcess(queryUrl);

  const login = await chatbot.http
    .post('/v1/auth/login')
    .send({ email: 'analyst.emea@casebook.dev', password: PASSWORD });
  const token = { authorization: `Bearer ${login.body.accessToken}` };
  const conversation = await chatbot.http.post('/v1/conversations').set(token).send({ title: 'crash' });
  const posted = await chatbot.http
    .post(`/v1/conversations/${conversation.body.id}/messages`)
    .set(token)
    .send({ content: 'revenue in EMEA for 2024 by category' });
  expect(posted.status).toBe(202);

  await waitFor(() => llm.inFlight > 0, { timeoutMs: 30_000, message: 'the generation never started' });
  first.kill('SIGKILL');
  await waitFor(() => first.exitCode !== null || first.signalCode !== null, { timeoutMs: 5_000 });
  expect(llm.completedGenerations).toBe(0);

  llm.setBehaviour({
    kind: 'respond',
    text: 'Revenue in EMEA for 2024 was steady across all categories this year.',
    tokenDelayMs: 5,
  });
  startWorkerProcess(queryUrl);
  const reply = await waitFor(
    async () => {
      const res = await chatbot.http.get(`/v1/messages/${posted.body.reply.id}`).set(token);
      return res.body.status === 'done' ? res.body : undefined;
    },
    { timeoutMs: 60_000, message: 'the stalled job was never answered' },
  );
  expect(reply.provider).toMatch(/^openai/);
  const [{ replies }] = await chatbot.app
    .get(DataSource)
    .query("SELECT count(*)::int AS replies FROM messages WHERE parent_id = $1 AND author = 'assistant'", [
      posted.body.message.id,
    ]);
  expect(replies).toBe(1);
  expect(llm.completedGenerations).toBe(1);
}, 120_000);
