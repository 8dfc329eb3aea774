import { auditDbFromDataSource, verifyDatabase } from '@casebook/audit';
import { useTestEnvironment, waitFor } from '@casebook/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { bearer, type ChatbotHarness, DEMO, startChatbot, startWorker } from './support';

// Q6.1 in chatbot-api: the identity provider, the permission guard, the admin API, conversations and
// erasure all write to the audit log; the worker moves the events into the hash chain.
const env = useTestEnvironment('chatbot-api');
let t: ChatbotHarness;
let worker: INestApplicationContext;
let admin: string;

beforeAll(async () => {
  // No grace period: presenting a used refresh token again is reuse at once.
  t = await startChatbot(env, { AUTH_REFRESH_GRACE_SECONDS: '0', AUDIT_OUTBOX_POLL_MS: '50' });
  worker = await startWorker(t.config);
  admin = (await t.login(DEMO.admin)).accessToken;
});
afterAll(async () => {
  await worker?.close();
  await t?.close();
});

interface StoredEvent {
  id: string;
  action: string;
  outcome: string;
  actor: { type: string; pseudonym: string | null; roles: string[] };
  resource: { type: string; id: string | null } | null;
  details: Record<string, unknown>;
}

/** Events the auditor API returns for the query, once at least `count` are in the chain. */
async function eventsOnceStored(query: Record<string, string>, count = 1): Promise<StoredEvent[]> {
  return waitFor(
    async () => {
      const res = await t.http
        .get('/v1/audit/events')
        .query({ limit: '100', ...query })
        .set(bearer(admin));
      expect(res.status).toBe(200);
      return res.body.data.length >= count ? (res.body.data as StoredEvent[]) : undefined;
    },
    { timeoutMs: 10_000, message: `fewer than ${count} audit events for ${JSON.stringify(query)}` },
  );
}

function outboxDrained(): Promise<unknown> {
  return waitFor(
    async () => {
      const [{ pending }] = await t.db.query('SELECT count(*)::int AS pending FROM audit_outbox');
      return pending === 0;
    },
    { message: 'the audit outbox was not relayed' },
  );
}

describe('chatbot-api audit trail (Q6.1)', () => {
  it('records failed sign-ins with the reason the client is not told, by email pseudonym only', async () => {
    const unknown = await t.http
      .post('/v1/auth/login')
      .send({ email: 'nobody.here@casebook.dev', password: 'x'.repeat(12) });
    const wrong = await t.http.post('/v1/auth/login').send({ email: DEMO.guest, password: 'not-the-password' });
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(unknown.body.detail).toBe(wrong.body.detail);

    const failed = await eventsOnceStored({ action: 'auth.sign_in.failed' }, 2);
    expect(failed.map((e) => e.details.reason).sort()).toEqual(['bad_password', 'unknown_user']);
    for (const event of failed) {
      expect(event.outcome).toBe('failure');
      expect(event.actor.type).toBe('anonymous');
      expect(event.actor.pseudonym).toMatch(/^[0-9a-f]{32}$/);
      expect(JSON.stringify(event)).not.toMatch(/nobody\.here|guest@/);
    }
  });

  it('records sign-in, refresh, and the reuse of a refresh token against the user whose session it was', async () => {
    const userId = await t.userId(DEMO['analyst.amer']);
    const session = await t.login(DEMO['analyst.amer']);
    const refreshed = await t.http.post('/v1/auth/refresh').send({ refreshToken: session.refreshToken });
    expect(refreshed.status).toBe(200);
    const replayed = await t.http.post('/v1/auth/refresh').send({ refreshToken: session.refreshToken });
    expect(replayed.body.code).toBe('AUTH_REFRESH_REUSED');

    const mine = await eventsOnceStored({ actorId: userId }, 2);
    expect(mine.map((e) => e.action)).toEqual(
      expect.arrayContaining(['auth.sign_in.succeeded', 'auth.token.refreshed']),
    );
    const [reuse] = await eventsOnceStored({
      action: 'auth.token.reuse_detected',
      resourceType: 'user',
      resourceId: userId,
    });
    expect(reuse).toMatchObject({ outcome: 'denied', actor: { type: 'anonymous' }, resource: { type: 'user' } });
    expect(reuse!.resource!.id).not.toBe(userId);
  });

  it('records a denial with the permission the caller lacked and the route template', async () => {
    const guest = (await t.login(DEMO.guest)).accessToken;
    expect((await t.http.get('/v1/admin/users').set(bearer(guest))).status).toBe(403);
    const guestId = await t.userId(DEMO.guest);
    const [denied] = await eventsOnceStored({ action: 'authz.denied', actorId: guestId });
    expect(denied).toMatchObject({
      outcome: 'denied',
      actor: { type: 'user', roles: ['guest'] },
      details: {
        status: 403,
        method: 'GET',
        route: '/v1/admin/users',
        permission: { action: 'read', subject: 'User' },
      },
    });
  });

  it('writes admin changes with their audit event in the same transaction', async () => {
    const created = await t.http
      .post('/v1/admin/users')
      .set(bearer(admin))
      .send({ email: 'audited.user@casebook.dev', password: 'long-enough-password', roles: ['guest'] });
    expect(created.status).toBe(201);
    const role = { description: 'audited', permissions: [{ action: 'read', subject: 'Insight' }] };
    expect((await t.http.put('/v1/admin/roles/audited_role').set(bearer(admin)).send(role)).status).toBe(200);
    expect((await t.http.put('/v1/admin/roles/audited_role').set(bearer(admin)).send(role)).status).toBe(200);
    expect((await t.http.delete('/v1/admin/roles/audited_role').set(bearer(admin))).status).toBe(204);
    expect((await t.http.delete(`/v1/admin/users/${created.body.id}`).set(bearer(admin))).status).toBe(204);

    const [user] = await eventsOnceStored({
      action: 'admin.user.created',
      resourceType: 'user',
      resourceId: created.body.id,
    });
    expect(user!.details.fields).toEqual(expect.arrayContaining(['email', 'roles']));
    await eventsOnceStored({ action: 'admin.user.deleted', resourceType: 'user', resourceId: created.body.id });
    const roleEvents = await eventsOnceStored({ resourceType: 'role', resourceId: 'audited_role' }, 3);
    expect(roleEvents.map((e) => e.action).sort()).toEqual([
      'admin.role.created',
      'admin.role.deleted',
      'admin.role.updated',
    ]);

    // A refused change leaves no event behind: the transaction that would have carried it rolled back.
    const refused = await t.http
      .post('/v1/admin/users')
      .set(bearer(admin))
      .send({ email: 'never.created@casebook.dev', password: 'long-enough-password', roles: ['no_such_role'] });
    expect(refused.status).toBe(422);
    await outboxDrained();
    expect(await eventsOnceStored({ action: 'admin.user.created' })).toHaveLength(1);
  });

  it('records an administrator reading user records, and insight reads, as they happen', async () => {
    const list = await t.http.get('/v1/admin/users').set(bearer(admin));
    expect(list.status).toBe(200);
    const someone = list.body.data[0].id as string;
    expect((await t.http.get(`/v1/admin/users/${someone}`).set(bearer(admin))).status).toBe(200);
    expect((await t.http.get('/v1/insights').set(bearer(admin))).status).toBe(200);

    const [listed] = await eventsOnceStored({ action: 'admin.user.listed' });
    expect(listed!.details.returned).toBe(list.body.data.length);
    expect(listed!.actor.type).toBe('user');
    await eventsOnceStored({ action: 'admin.user.read', resourceType: 'user', resourceId: someone });
    const [insights] = await eventsOnceStored({ action: 'insight.listed' });
    expect(insights!.outcome).toBe('success');
  });

  it('records conversation writes and reads, and erasure, without the text', async () => {
    const { accessToken } = await t.login(DEMO['analyst.emea']);
    const conversation = await t.http
      .post('/v1/conversations')
      .set(bearer(accessToken))
      .send({ title: 'secret plans' });
    const asked = await t.http
      .post(`/v1/conversations/${conversation.body.id}/messages`)
      .set(bearer(accessToken))
      .set('idempotency-key', 'audit-spec-1')
      .send({ content: 'the launch code is 0000' });
    expect(asked.status).toBe(202);
    expect(
      (await t.http.get(`/v1/conversations/${conversation.body.id}/messages`).set(bearer(accessToken))).status,
    ).toBe(200);

    const events = await eventsOnceStored({ resourceType: 'conversation', resourceId: conversation.body.id }, 3);
    expect(events.map((e) => e.action).sort()).toEqual([
      'conversation.created',
      'conversation.read',
      'message.created',
    ]);
    expect(events.find((e) => e.action === 'message.created')!.details).toMatchObject({ length: 23, status: 202 });

    const erasure = await t.http.delete('/v1/me/data').set(bearer(accessToken));
    expect(erasure.status).toBe(202);
    const userId = await t.userId(DEMO['analyst.emea']);
    await eventsOnceStored({ action: 'data.erasure_requested', actorId: userId });
    const [erased] = await eventsOnceStored({ action: 'data.erased', resourceType: 'user', resourceId: userId });
    expect(erased!.details).toMatchObject({ scope: 'self' });
    expect(erased!.details.rows).toBeGreaterThanOrEqual(3);

    const stored: { row: string }[] = await t.db.query('SELECT row_to_json(e)::text AS row FROM audit_events e');
    const everything = stored.map((r) => r.row).join('\n');
    for (const raw of ['secret plans', 'launch code', DEMO['analyst.emea'], userId, accessToken, '127.0.0.1']) {
      expect(everything).not.toContain(raw);
    }
  });

  it('records API keys created and revoked, sign-outs, and a reply read over SSE', async () => {
    const senior = await t.login(DEMO['senior.emea']);
    const userId = await t.userId(DEMO['senior.emea']);
    // API keys are for admins (and service owners); an admin makes one for an export job.
    const key = await t.http
      .post('/v1/api-keys')
      .set(bearer(admin))
      .send({ name: 'nightly export', scopes: ['read:Insight'] });
    expect(key.status).toBe(201);
    expect((await t.http.delete(`/v1/api-keys/${key.body.id}`).set(bearer(admin))).status).toBe(204);

    const conversation = await t.http.post('/v1/conversations').set(bearer(senior.accessToken)).send({ title: 'sse' });
    const asked = await t.http
      .post(`/v1/conversations/${conversation.body.id}/messages`)
      .set(bearer(senior.accessToken))
      .send({ content: 'sales in EMEA for Q1 2024' });
    const stream = await t.http.get(`/v1/messages/${asked.body.reply.id}/events`).set(bearer(senior.accessToken));
    expect(stream.status).toBe(200);
    expect(
      (await t.http.post('/v1/auth/logout').set(bearer(senior.accessToken)).send({ refreshToken: senior.refreshToken }))
        .status,
    ).toBe(204);

    const keyEvents = await eventsOnceStored({ resourceType: 'api_key', resourceId: key.body.id }, 2);
    expect(keyEvents.map((e) => e.action).sort()).toEqual(['admin.api_key.created', 'admin.api_key.revoked']);
    expect(keyEvents.find((e) => e.action === 'admin.api_key.created')!.details).toMatchObject({
      scopes: ['read:Insight'],
    });
    await eventsOnceStored({ action: 'message.read', resourceType: 'message', resourceId: asked.body.reply.id });
    const [signedOut] = await eventsOnceStored({ action: 'auth.signed_out', actorId: userId });
    expect(signedOut!.details).toMatchObject({ everywhere: false });
  });

  it('leaves a chain that verifies', async () => {
    await outboxDrained();
    const report = await verifyDatabase(auditDbFromDataSource(t.db));
    expect(report).toMatchObject({ ok: true, firstBad: null, checkpointProblems: [] });
    expect(report.eventsChecked).toBeGreaterThan(10);
  });
});
