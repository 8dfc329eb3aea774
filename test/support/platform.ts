import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppModule as ChatbotModule, loadChatbotConfig, seedChatbot, WorkerModule } from '@casebook/chatbot-api';
import { AppModule as QueryModule, loadQueryConfig, seedQuery } from '@casebook/query-service';
import type { Env } from '@casebook/platform';
import { createTestApp, LogCapture, type TestApp, type TestEnvironment } from '@casebook/testing';

export const PASSWORD = 'correct-horse-battery-staple';

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface Platform {
  chatbot: TestApp;
  query: TestApp;
  worker: INestApplicationContext;
  /** The worker's environment (its query-service URL included), for a second worker or a restart. */
  workerEnv: Env;
}

/**
 * Case study 1 as deployed: chatbot-api issues tokens, query-service verifies them through chatbot-api's
 * JWKS, and the worker answers through the real query-service. Seeds demo users (password PASSWORD) and a
 * warehouse of `warehouseRows`. The caller closes `worker`, `query` and `chatbot`, in that order, before the
 * environments drop their databases.
 */
export async function startPlatform(
  envs: { chatbot: TestEnvironment; query: TestEnvironment },
  options: { warehouseRows: number; chatbot?: Env; worker?: Env },
  started: Partial<Platform> = {},
): Promise<Platform> {
  const keysDir = `/tmp/casebook-test-keys/${envs.chatbot.database.name}`;
  const issuer = await startIssuer(envs.chatbot, { AUTH_KEYS_DIR: keysDir, RATE_LIMIT_IP: 'off', ...options.chatbot });
  const chatbot = (started.chatbot = issuer.app);

  const query = (started.query = await createTestApp({
    config: loadQueryConfig(envs.query.env({ AUTH_JWKS_URL: issuer.jwksUrl })),
    module: (c, d) => QueryModule.forRoot(c, { logDestination: d }),
  }));
  await query.app.listen(0, '127.0.0.1');
  await seedQuery(query.app.get(DataSource), { warehouseRows: options.warehouseRows });

  const workerEnv = {
    ...envs.chatbot.env({ AUTH_KEYS_DIR: keysDir }),
    QUERY_SERVICE_URL: await urlOf(query),
    ...options.worker,
  };
  const worker = (started.worker = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(loadChatbotConfig(workerEnv), { logDestination: new LogCapture() }),
    { logger: false },
  ));
  await worker.init();
  return { chatbot, query, worker, workerEnv };
}

export interface Issuer {
  app: TestApp;
  /** chatbot-api's JWKS, as a resource server is configured with it (`AUTH_JWKS_URL`). */
  jwksUrl: string;
  /** An access token of a seeded demo user (password PASSWORD). */
  login(email: string): Promise<string>;
  /** A client-credentials token of a new service client, for one audience. */
  serviceToken(name: string, scopes: string[], audience: string): Promise<string>;
}

/**
 * chatbot-api as the identity provider (an in-memory key ring unless `AUTH_KEYS_DIR` says otherwise), demo users and roles seeded, listening on
 * a loopback port so another service verifies its tokens over JWKS. The caller closes `app`.
 */
export async function startIssuer(env: TestEnvironment, overrides: Env = {}): Promise<Issuer> {
  const config = loadChatbotConfig(
    env.env({
      AUTH_KEYS_DIR: ':memory:',
      CASEBOOK_DEMO_PASSWORD: PASSWORD,
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      ...overrides,
    }),
  );
  const app = await createTestApp({ config, module: (c, d) => ChatbotModule.forRoot(c, { logDestination: d }) });
  await seedChatbot(app.app.get(DataSource), config);
  await app.app.listen(0, '127.0.0.1');
  const login = async (email: string): Promise<string> => {
    const res = await app.http.post('/v1/auth/login').send({ email, password: PASSWORD });
    if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status}`);
    return res.body.accessToken as string;
  };
  return {
    app,
    jwksUrl: `${await urlOf(app)}/.well-known/jwks.json`,
    login,
    async serviceToken(name, scopes, audience) {
      const admin = await login('admin@casebook.dev');
      const client = await app.http
        .post('/v1/admin/service-clients')
        .set(bearer(admin))
        .send({ name, scopes, audiences: [audience] });
      if (client.status !== 201) throw new Error(`service client ${name} was refused: ${client.status}`);
      const token = await app.http.post('/v1/auth/token').send({
        grant_type: 'client_credentials',
        client_id: name,
        client_secret: client.body.clientSecret,
        audience,
      });
      if (token.status !== 200) throw new Error(`no token for ${name}: ${token.status}`);
      return token.body.access_token as string;
    },
  };
}

export async function urlOf(app: TestApp): Promise<string> {
  return (await app.app.getUrl()).replace('[::1]', '127.0.0.1');
}
