import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import type { Env } from '@casebook/platform';
import { createTestApp, type TestApp, type TestEnvironment } from '@casebook/testing';
import type { INestApplicationContext, Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule, type ChatbotConfig, DEMO_USERS, loadChatbotConfig, seedChatbot, WorkerModule } from '../src';
import { LogCapture } from '@casebook/testing';

export const PASSWORD = 'correct-horse-battery-staple';

/** Cheap argon2 for tests that sign in a lot; the login benchmark uses the production parameters. */
export const FAST_ARGON2: Env = { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' };

export interface ChatbotHarness extends TestApp {
  config: ChatbotConfig;
  db: DataSource;
  login(email: string, password?: string): Promise<{ accessToken: string; refreshToken: string }>;
  userId(email: string): Promise<string>;
}

/** chatbot-api on this file's database, with roles, demo users (password PASSWORD) and insights seeded. */
export async function startChatbot(env: TestEnvironment, overrides: Env = {}): Promise<ChatbotHarness> {
  const config = loadChatbotConfig(
    env.env({
      // One key ring per test file, shared by every instance the file starts (as in production).
      AUTH_KEYS_DIR: path.join(tmpdir(), 'casebook-test-keys', env.database.name),
      CASEBOOK_DEMO_PASSWORD: PASSWORD,
      ...FAST_ARGON2,
      // Tests send bursts from one address and one user; the limiter has its own tests and one here.
      RATE_LIMIT_IP: 'off',
      RATE_LIMIT_TIERS:
        'admin=100000/60:10000,senior_analyst=100000/60:10000,analyst=100000/60:10000,guest=100000/60:10000',
      ...overrides,
    }),
  );
  const app = await createTestApp({ config, module: (c, logDestination) => AppModule.forRoot(c, { logDestination }) });
  const db = app.app.get(DataSource);
  await seedChatbot(db, config);
  return {
    ...app,
    config,
    db,
    async login(email, password = PASSWORD) {
      const res = await app.http.post('/v1/auth/login').send({ email, password });
      if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async userId(email) {
      const [{ id }] = await db.query('SELECT id FROM users WHERE email = $1', [email]);
      return id;
    },
  };
}

export const DEMO = Object.fromEntries(DEMO_USERS.map((u) => [u.email.split('@')[0]!, u.email])) as Record<
  'admin' | 'senior.emea' | 'analyst.emea' | 'analyst.amer' | 'guest',
  string
>;

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The chatbot worker in this process, on the same database and Redis prefix as the API of the file. */
export async function startWorker(
  config: ChatbotConfig,
  options: { composer?: Provider; gate?: Provider } = {},
): Promise<INestApplicationContext & { logs: LogCapture }> {
  const logs = new LogCapture();
  const worker = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(config, { ...options, logDestination: logs }),
    {
      logger: false,
    },
  );
  await worker.init();
  return Object.assign(worker, { logs });
}

/** Reads an SSE response body into events. */
export function parseSse(text: string): { id?: string; event?: string; data: string }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() && !block.startsWith(':') && !block.startsWith('retry:'))
    .map((block) => {
      const event: { id?: string; event?: string; data: string } = { data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        const [field, ...rest] = line.split(': ');
        const value = rest.join(': ');
        if (field === 'id') event.id = value;
        else if (field === 'event') event.event = value;
        else if (field === 'data') data.push(value);
      }
      event.data = data.join('\n');
      return event;
    });
}
