import { DataSource } from 'typeorm';
import { type TestApp, waitFor } from '@casebook/testing';
import { useAuditEnvironment } from './support/audit-environment';
import { startFixtureApp } from './support/fixture-app';

let t: TestApp;
// Declared before the environment's hooks: the app stops before its database is dropped.
afterAll(() => t?.close());
const env = useAuditEnvironment();

beforeAll(async () => {
  t = await startFixtureApp(env);
});

// What the test traffic carries and the audit tables must never hold.
const EMAIL = 'Victim.Person@Example.com';
const PASSWORD = 'hunter2-correct-horse';
const USER_ID = 'user-raw-id-7781';
const ACCESS_TOKEN = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyLXJhdy1pZC03NzgxIn0.c2lnbmF0dXJlX2J5dGVzX2hlcmU';
const CLIENT_IP = '127.0.0.1';

describe('what the audit log stores', () => {
  it('When requests carry emails, tokens and addresses, then no audit table holds any of them', async () => {
    const user = { 'x-test-user': USER_ID, 'x-test-roles': 'analyst', authorization: `Bearer ${ACCESS_TOKEN}` };
    expect((await t.http.get('/v1/things/c-1').set(user)).status).toBe(200);
    expect((await t.http.get('/v1/things/c-2/secret').set(user)).status).toBe(403);
    expect((await t.http.post('/v1/things').set(user).set('idempotency-key', 'k-1').send({})).status).toBe(201);
    const signIn = await t.http.post('/v1/sessions').send({ email: EMAIL, password: PASSWORD });
    expect(signIn.status).toBe(401);

    const db = t.app.get(DataSource);
    await waitFor(async () => (await db.query('SELECT count(*)::int AS n FROM audit_events'))[0].n >= 4, {
      timeoutMs: 15_000,
      message: 'audit events were not stored',
    });

    const tables: Array<{ name: string }> = await db.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname LIKE 'audit\\_%'`,
    );
    expect(tables.map((row) => row.name)).toEqual(
      expect.arrayContaining(['audit_events', 'audit_outbox', 'audit_actor_hourly']),
    );
    let scanned = '';
    for (const { name } of tables) {
      if (!/^audit_[a-z0-9_]+$/.test(name)) throw new Error(`unexpected table ${name}`);
      // Identifiers cannot be parameters: the names come from the catalog and match the pattern above.
      const [row] = await db.query("SELECT coalesce(string_agg(t::text, E'\\n'), '') AS text FROM " + name + ' t');
      scanned += `${row.text}\n`;
    }
    expect(scanned).toContain('conversation.read'); // the scan does see the events
    for (const secret of [EMAIL, EMAIL.toLowerCase(), PASSWORD, USER_ID, ACCESS_TOKEN, CLIENT_IP]) {
      expect(scanned).not.toContain(secret);
    }
  });
});
