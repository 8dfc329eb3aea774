import { REQUIRED_PERMISSION_KEY } from '@casebook/auth';
import { type TestApp, waitFor } from '@casebook/testing';
import {
  AuditorController,
  AUDIT_SIGNING_KEY,
  type AuditSigningKey,
  CheckpointStore,
  type ChainedEventJson,
  keyMap,
  parsePublicKey,
  Pseudonymizer,
  verifyCheckpoint,
  type CheckpointExport,
} from '../src';
import { useAuditEnvironment } from './support/audit-environment';
import { startFixtureApp } from './support/fixture-app';

let t: TestApp;
// Declared before the environment's hooks: the app stops before its database is dropped.
afterAll(() => t?.close());
const env = useAuditEnvironment();

const AUDITOR = { 'x-test-user': 'auditor-1', 'x-test-roles': 'auditor' };
const alice = { 'x-test-user': 'alice', 'x-test-roles': 'analyst' };
const bob = { 'x-test-user': 'bob', 'x-test-roles': 'guest' };

async function stored(count: number): Promise<void> {
  await waitFor(
    async () => {
      // Only the test traffic: the polling reads are audited too.
      const res = await t.http.get('/v1/audit/events').query({ limit: 100, action: 'conversation.read' }).set(AUDITOR);
      return res.body.data.length >= count;
    },
    { timeoutMs: 15_000, message: `fewer than ${count} events stored` },
  );
}

beforeAll(async () => {
  t = await startFixtureApp(env);
  for (const id of ['c-1', 'c-2', 'c-3', 'c-4', 'c-5']) await t.http.get(`/v1/things/${id}`).set(alice).expect(200);
  await t.http.get('/v1/things/c-9').set(bob).expect(200);
  await t.http.get('/v1/things/c-9/secret').set(bob).expect(403);
  await stored(7);
});

describe('GET /v1/audit/events', () => {
  it('When an auditor searches by a real user id, then that user’s events come back, newest first, page by page', async () => {
    const seen: ChainedEventJson[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { data: ChainedEventJson[]; nextCursor: string | null } } = await t.http
        .get('/v1/audit/events')
        .query({ actorId: 'alice', limit: 2, ...(cursor ? { cursor } : {}) })
        .set(AUDITOR);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data);
      cursor = res.body.nextCursor;
    } while (cursor);
    // Chain order, newest first. (Not necessarily request order: an event recorded while Redis was still
    // connecting at boot goes through the outbox and is chained when the relay runs.)
    expect(seen.map((e) => e.resource?.id).sort()).toEqual(['c-1', 'c-2', 'c-3', 'c-4', 'c-5']);
    expect(seen.map((e) => e.seq)).toEqual([...seen.map((e) => e.seq)].sort((a, b) => b - a));
    const pseudonym = t.app.get(Pseudonymizer).pseudonym('user', 'alice');
    expect(seen.every((e) => e.actor.pseudonym === pseudonym && e.outcome === 'success')).toBe(true);
    expect(seen[0]).toMatchObject({
      action: 'conversation.read',
      details: { status: 200 },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('When filtering by resource, action and time, then only matching events come back', async () => {
    const res = await t.http
      .get('/v1/audit/events')
      .query({ resourceType: 'conversation', resourceId: 'c-9', action: 'conversation.read' })
      .set(AUDITOR);
    expect(res.body.data.map((e: ChainedEventJson) => e.outcome)).toEqual(['denied', 'success']);
    expect(res.body.data[0].details.status).toBe(403);
    const future = await t.http.get('/v1/audit/events').query({ from: '2999-01-01T00:00:00Z' }).set(AUDITOR);
    expect(future.body.data).toEqual([]);
  });

  it('When any route denies a request, then authz.denied is recorded with the route template and the guard’s reason', async () => {
    await t.http.get('/v1/things/c-7/admin').set(bob).expect(403);
    const bobPseudonym = t.app.get(Pseudonymizer).pseudonym('user', 'bob');
    let denial: ChainedEventJson | undefined;
    await waitFor(
      async () => {
        const res = await t.http.get('/v1/audit/events').query({ action: 'authz.denied' }).set(AUDITOR);
        denial = (res.body.data as ChainedEventJson[]).find((e) => e.actor.pseudonym === bobPseudonym);
        return denial;
      },
      { timeoutMs: 15_000, message: 'the denial was not recorded' },
    );
    expect(denial).toMatchObject({
      outcome: 'denied',
      details: {
        status: 403,
        method: 'GET',
        route: '/v1/things/:id/admin',
        permission: { action: 'manage', subject: 'Thing' },
        reason: 'bob <[email]> lacks manage Thing',
      },
    });
  });

  it('When a filter is malformed, then 400 names it', async () => {
    const res = await t.http.get('/v1/audit/events').query({ actorPseudonym: 'NOT-HEX' }).set(AUDITOR);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('actorPseudonym');
  });

  it('When an auditor reads the log, then the read is itself audited', async () => {
    const auditor = t.app.get(Pseudonymizer).pseudonym('user', 'auditor-1');
    await waitFor(
      async () => {
        const res = await t.http.get('/v1/audit/events').query({ action: 'audit.events.read' }).set(AUDITOR);
        return res.body.data.some(
          (e: ChainedEventJson) => e.actor.pseudonym === auditor && Array.isArray(e.details.filters),
        );
      },
      { timeoutMs: 15_000, message: 'auditor reads were not audited' },
    );
  });
});

describe('checkpoints', () => {
  it('When checkpoints are exported, then each verifies with the public key in the export', async () => {
    const key = t.app.get<AuditSigningKey>(AUDIT_SIGNING_KEY);
    await t.app.get(CheckpointStore).checkpointHead(key);
    const list = await t.http.get('/v1/audit/checkpoints').set(AUDITOR);
    expect(list.status).toBe(200);
    expect(list.body.data[0]).toMatchObject({ keyId: key.keyId, signature: expect.any(String) });

    const res = await t.http.get('/v1/audit/checkpoints/export').set(AUDITOR);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    const bundle = res.body as CheckpointExport;
    expect(bundle.publicKeys).toEqual([{ keyId: key.keyId, algorithm: 'Ed25519', publicKeyPem: key.publicKeyPem }]);
    const keys = keyMap(bundle.publicKeys.map((k) => parsePublicKey(k.publicKeyPem)));
    expect(bundle.checkpoints.length).toBeGreaterThan(0);
    for (const checkpoint of bundle.checkpoints) expect(verifyCheckpoint(checkpoint, keys)).toEqual({ ok: true });
  });
});

describe('GET /v1/audit/anomalies', () => {
  it('When asked for anomalies, then it answers with a list (the detection itself is in anomaly.spec.ts)', async () => {
    const res = await t.http.get('/v1/audit/anomalies').query({ factor: 5, minEvents: 1 }).set(AUDITOR);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
  });
});

describe('permissions', () => {
  it('When the auditor API is declared, then every route requires read AuditEvent', () => {
    const handlers = Object.getOwnPropertyNames(AuditorController.prototype).filter((name) => name !== 'constructor');
    expect(handlers.length).toBe(4);
    for (const name of handlers) {
      const handler = (AuditorController.prototype as unknown as Record<string, object>)[name]!;
      expect(Reflect.getMetadata(REQUIRED_PERMISSION_KEY, handler)).toMatchObject({
        action: 'read',
        subject: 'AuditEvent',
      });
    }
  });
});
