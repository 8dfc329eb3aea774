import { Client } from 'pg';
import { TEST_PG_ADMIN_URL, useTestEnvironment, waitFor } from '@casebook/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { bearer, type ChatbotHarness, DEMO, startChatbot, startWorker } from '../support';

// Q8.1 drill: this file's database becomes unreachable (connections refused and existing ones killed),
// as it would in a failover; the shared Postgres server other files use stays up.
const env = useTestEnvironment('chatbot-api');
let t: ChatbotHarness;
let worker: INestApplicationContext;

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const setDatabaseDown = (down: boolean) =>
  admin(async (client) => {
    const name = client.escapeIdentifier(env.database.name);
    await client.query('ALTER DATABASE ' + name + ' ALLOW_CONNECTIONS ' + (down ? 'false' : 'true'));
    if (down) {
      await client.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [env.database.name],
      );
    }
  });

beforeAll(async () => {
  t = await startChatbot(env);
});
afterAll(async () => {
  await worker?.close();
  await t?.close();
});

describe('Postgres outage (Q8.1)', () => {
  it('When Postgres is unreachable, then writes answer 503 with Retry-After; queued work completes after it returns; nothing is lost', async () => {
    const token = (await t.login(DEMO['analyst.emea'])).accessToken;
    const conversation = await t.http.post('/v1/conversations').set(bearer(token)).send({ title: 'outage' });
    // Accepted before the outage, answered after it: no worker is running yet.
    const accepted = await t.http
      .post(`/v1/conversations/${conversation.body.id}/messages`)
      .set(bearer(token))
      .send({ content: 'sales in Q1 2024' });
    expect(accepted.status).toBe(202);

    await setDatabaseDown(true);
    let starting: Promise<INestApplicationContext> | undefined;
    try {
      const during = await waitFor(
        async () => {
          const res = await t.http
            .post(`/v1/conversations/${conversation.body.id}/messages`)
            .set(bearer(token))
            .send({ content: 'and in Q2?' });
          return res.status === 503 ? res : undefined;
        },
        { timeoutMs: 10_000, message: 'writes did not answer 503 during the outage' },
      );
      expect(during.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(Number(during.headers['retry-after'])).toBeGreaterThan(0);
      expect(during.body.errorId).toBeUndefined();
      // Readiness tells the load balancer to stop sending traffic here.
      expect((await t.http.get('/health/ready')).status).toBe(503);
    } finally {
      // A worker (re)started during the outage keeps retrying its connection and then takes the queued job.
      starting = startWorker(t.config);
      await setDatabaseDown(false);
    }
    worker = await starting!;

    await waitFor(async () => (await t.http.get('/health/ready')).status === 200, { timeoutMs: 15_000 });
    const reply = await waitFor(
      async () => {
        const res = await t.http.get(`/v1/messages/${accepted.body.reply.id}`).set(bearer(token));
        return res.body.status === 'done' ? res.body : undefined;
      },
      { timeoutMs: 30_000, message: 'the reply queued before the outage was never answered' },
    );
    expect(reply.content.length).toBeGreaterThan(0);
  });
});
