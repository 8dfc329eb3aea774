import { useTestEnvironment } from '@casebook/testing';
import { bearer, type ChatbotHarness, DEMO, startChatbot } from '../support';

const env = useTestEnvironment('chatbot-api');
let t: ChatbotHarness;

beforeAll(async () => {
  t = await startChatbot(env, { AUTH_REFRESH_GRACE_SECONDS: '5' });
});
afterAll(() => t?.close());

const refresh = (refreshToken: string) => t.http.post('/v1/auth/refresh').send({ refreshToken });

describe('refresh-token rotation (Q2.1, Q2.2)', () => {
  it('When a refresh token is used, then a new pair comes back and the new refresh token works in turn', async () => {
    const first = await t.login(DEMO.guest);
    const second = await refresh(first.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await t.http.get('/v1/me').set(bearer(second.body.accessToken))).status).toBe(200);
    expect((await refresh(second.body.refreshToken)).status).toBe(200);
  });

  it('When a rotated token is reused after the grace window, then 401 and every token of that family is dead; other families live', async () => {
    const stolen = await t.login(DEMO['analyst.amer']);
    const otherDevice = await t.login(DEMO['analyst.amer']);
    const rotated = await refresh(stolen.refreshToken);
    expect(rotated.status).toBe(200);
    // Move the rotation out of the grace window instead of waiting for it.
    await t.db.query("UPDATE refresh_tokens SET used_at = used_at - interval '1 hour' WHERE used_at IS NOT NULL");

    const reuse = await refresh(stolen.refreshToken);
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('AUTH_REFRESH_REUSED');
    // The legitimate successor dies with its family…
    const successor = await refresh(rotated.body.refreshToken);
    expect(successor.status).toBe(401);
    expect(successor.body.code).toBe('AUTH_REFRESH_INVALID');
    // …while the user's session on another device is untouched.
    expect((await refresh(otherDevice.refreshToken)).status).toBe(200);
  });

  it('When two requests race with the same token inside the grace window, then both get the same successor', async () => {
    const session = await t.login(DEMO['senior.emea']);
    const [a, b] = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.refreshToken).toBe(b.body.refreshToken);
    // The family is alive: the shared successor rotates normally.
    expect((await refresh(a.body.refreshToken)).status).toBe(200);
  });

  it('When the family reaches its absolute lifetime, then rotation does not extend it', async () => {
    const session = await t.login(DEMO['analyst.emea']);
    const familyOf = async () =>
      (
        await t.db.query(
          `SELECT f.id, f.expires_at::text AS "expiresAt" FROM refresh_token_families f
             JOIN users u ON u.id = f.user_id WHERE u.email = $1 ORDER BY f.created_at DESC LIMIT 1`,
          [DEMO['analyst.emea']],
        )
      )[0] as { id: string; expiresAt: string };
    const before = await familyOf();
    const next = await refresh(session.refreshToken);
    const again = await refresh(next.body.refreshToken);
    const after = await familyOf();
    expect(after).toEqual(before);
    // Age the family past its end: the next refresh is refused.
    await t.db.query("UPDATE refresh_token_families SET expires_at = now() - interval '1 second' WHERE id = $1", [
      after.id,
    ]);
    const expired = await refresh(again.body.refreshToken);
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('AUTH_REFRESH_EXPIRED');
  });

  it('When the user logs out, then the family is revoked and the access token sent along is refused', async () => {
    const session = await t.login(DEMO.guest);
    const out = await t.http
      .post('/v1/auth/logout')
      .set(bearer(session.accessToken))
      .send({ refreshToken: session.refreshToken });
    expect(out.status).toBe(204);
    expect((await refresh(session.refreshToken)).status).toBe(401);
    const me = await t.http.get('/v1/me').set(bearer(session.accessToken));
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('AUTH_TOKEN_REVOKED');
  });

  it('When the user logs out everywhere, then every family and every access token of theirs stops working', async () => {
    const laptop = await t.login(DEMO.admin);
    const phone = await t.login(DEMO.admin);
    expect((await t.http.post('/v1/auth/logout-all').set(bearer(phone.accessToken))).status).toBe(204);
    for (const session of [laptop, phone]) {
      expect((await refresh(session.refreshToken)).body.code).toBe('AUTH_REFRESH_INVALID');
      expect((await t.http.get('/v1/me').set(bearer(session.accessToken))).body.code).toBe('AUTH_TOKEN_REVOKED');
    }
    // Signing in again works.
    expect((await t.http.get('/v1/me').set(bearer((await t.login(DEMO.admin)).accessToken))).status).toBe(200);
  });

  it('When a refresh token is unknown or malformed, then 401 without details; when absurdly long, 400', async () => {
    for (const token of ['rt_unknown', 'not-even-prefixed']) {
      const res = await refresh(token);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('AUTH_REFRESH_INVALID');
    }
    const tooLong = await refresh('rt_' + 'x'.repeat(300));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0].field).toBe('refreshToken');
  });
});
