import { useTestEnvironment } from '@casebook/testing';
import { bearer, type ChatbotHarness, DEMO, startChatbot } from '../support';

const env = useTestEnvironment('chatbot-api');
let t: ChatbotHarness;
let admin: string;

beforeAll(async () => {
  t = await startChatbot(env);
  admin = (await t.login(DEMO.admin)).accessToken;
});
afterAll(() => t?.close());

describe('API keys (Q10.x)', () => {
  it('When a key is created, then it is shown once, stored hashed, works with its scopes and stops when revoked', async () => {
    const created = await t.http
      .post('/v1/api-keys')
      .set(bearer(admin))
      .send({ name: 'export job', scopes: ['read:Insight'] });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^cbk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    const [{ stored }] = await t.db.query('SELECT encode(secret_hash, $2) AS stored FROM api_keys WHERE id = $1', [
      created.body.id,
      'hex',
    ]);
    // `cbk_` + 12-character prefix + `_`; the secret itself may contain underscores (base64url).
    const secret: string = created.body.key.slice(17);
    expect(secret).toHaveLength(43);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(Buffer.from(secret).toString('hex'));
    const listed = await t.http.get('/v1/api-keys').set(bearer(admin));
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);

    const withKey = (path: string) => t.http.get(path).set('x-api-key', created.body.key);
    expect((await withKey('/v1/insights')).status).toBe(200);
    // The owner is an admin, but the key's scopes do not cover users.
    expect((await withKey('/v1/admin/users')).status).toBe(403);

    expect((await t.http.delete(`/v1/api-keys/${created.body.id}`).set(bearer(admin))).status).toBe(204);
    const revoked = await withKey('/v1/insights');
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe('AUTH_API_KEY_INVALID');
  });

  it('When a key is malformed or made up, then 401', async () => {
    for (const key of ['cbk_nope', 'cbk_abcdefghijkl_' + 'A'.repeat(43)]) {
      const res = await t.http.get('/v1/insights').set('x-api-key', key);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('AUTH_API_KEY_INVALID');
    }
  });
});
