import { useTestEnvironment, waitFor } from '@casebook/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { UserKeys } from '../../src/crypto/user-keys';
import { bearer, type ChatbotHarness, DEMO, startChatbot, startWorker } from '../support';

const env = useTestEnvironment('chatbot-api');
let t: ChatbotHarness;
let worker: INestApplicationContext;

beforeAll(async () => {
  t = await startChatbot(env);
  worker = await startWorker(t.config);
});
afterAll(async () => {
  await worker?.close();
  await t?.close();
});

async function converse(token: string): Promise<string> {
  const conversation = await t.http.post('/v1/conversations').set(bearer(token)).send({ title: 'my private numbers' });
  const asked = await t.http
    .post(`/v1/conversations/${conversation.body.id}/messages`)
    .set(bearer(token))
    .send({ content: 'salary of Jane Doe in EMEA' });
  await waitFor(
    async () => (await t.http.get(`/v1/messages/${asked.body.reply.id}`).set(bearer(token))).body.status === 'done',
    {
      timeoutMs: 15_000,
    },
  );
  return conversation.body.id;
}

describe('GDPR erasure with crypto-shredding (Q3.4)', () => {
  it('When I erase my data, then 202 with a status link; the job deletes my rows and destroys my key; copies stay unreadable', async () => {
    const token = (await t.login(DEMO['analyst.emea'])).accessToken;
    const userId = await t.userId(DEMO['analyst.emea']);
    await converse(token);
    // A "backup": ciphertext copied out before erasure.
    const [backup] = await t.db.query(
      "SELECT id, content_ciphertext AS ciphertext FROM messages WHERE owner_id = $1 AND author = 'user' LIMIT 1",
      [userId],
    );
    expect(await t.app.get(UserKeys).decrypt(userId, backup.ciphertext, `message:${backup.id}`)).toBe(
      'salary of Jane Doe in EMEA',
    );

    const res = await t.http.delete('/v1/me/data').set(bearer(token));
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/v1/erasures/${res.body.id}`);
    const done = await waitFor(
      async () => {
        const status = await t.http.get(`/v1/erasures/${res.body.id}`).set(bearer(token));
        return status.body.status === 'done' ? status.body : undefined;
      },
      { timeoutMs: 15_000, message: 'erasure did not finish' },
    );
    expect(done.deleted).toMatchObject({ keys: 1 });
    expect(done.deleted.messages).toBeGreaterThanOrEqual(2);

    const [{ left }] = await t.db.query(
      'SELECT (SELECT count(*) FROM messages WHERE owner_id = $1) + (SELECT count(*) FROM conversations WHERE owner_id = $1) + (SELECT count(*) FROM user_keys WHERE user_id = $1) AS left',
      [userId],
    );
    expect(Number(left)).toBe(0);
    // Every instance (the API here) has forgotten the key; the backup copy cannot be read any more.
    t.app.get(UserKeys).forget(userId);
    await expect(t.app.get(UserKeys).decrypt(userId, backup.ciphertext, `message:${backup.id}`)).rejects.toThrow();
    // The account itself remains: the user can still sign in, with nothing stored.
    expect((await t.http.get('/v1/conversations').set(bearer(token))).body.data).toEqual([]);
  });

  it("When an admin erases a user's data, then the same happens; other users are untouched", async () => {
    const admin = (await t.login(DEMO.admin)).accessToken;
    const amer = (await t.login(DEMO['analyst.amer'])).accessToken;
    const senior = (await t.login(DEMO['senior.emea'])).accessToken;
    await converse(amer);
    const kept = await converse(senior);
    const res = await t.http.delete(`/v1/admin/users/${await t.userId(DEMO['analyst.amer'])}/data`).set(bearer(admin));
    expect(res.status).toBe(202);
    await waitFor(
      async () => (await t.http.get(`/v1/erasures/${res.body.id}`).set(bearer(admin))).body.status === 'done',
      {
        timeoutMs: 15_000,
      },
    );
    expect((await t.http.get('/v1/conversations').set(bearer(amer))).body.data).toEqual([]);
    expect(
      (await t.http.get('/v1/conversations').set(bearer(senior))).body.data.map((c: { id: string }) => c.id),
    ).toContain(kept);
  });

  it('When a guest asks for someone else’s erasure, then 403; an unknown user, 404', async () => {
    const guest = (await t.login(DEMO.guest)).accessToken;
    expect((await t.http.delete(`/v1/admin/users/${await t.userId(DEMO.admin)}/data`).set(bearer(guest))).status).toBe(
      403,
    );
    const admin = (await t.login(DEMO.admin)).accessToken;
    expect(
      (await t.http.delete('/v1/admin/users/00000000-0000-4000-8000-000000000000/data').set(bearer(admin))).status,
    ).toBe(404);
  });
});
