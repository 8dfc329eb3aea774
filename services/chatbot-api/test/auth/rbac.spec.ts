import { useTestEnvironment } from '@casebook/testing';
import { DataSource } from 'typeorm';
import { bearer, type ChatbotHarness, DEMO, startChatbot } from '../support';

const env = useTestEnvironment('chatbot-api');
let t: ChatbotHarness;
let admin: string;

beforeAll(async () => {
  t = await startChatbot(env);
  admin = (await t.login(DEMO.admin)).accessToken;
});
afterAll(() => t?.close());

const asAdmin = () => bearer(admin);

async function createUser(email: string, roles: string[], region?: string) {
  const res = await t.http
    .post('/v1/admin/users')
    .set(asAdmin())
    .send({ email, password: 'long-enough-password', roles, ...(region ? { region } : {}) });
  expect(res.status).toBe(201);
  expect(res.headers.location).toBe(`/v1/admin/users/${res.body.id}`);
  return (await t.login(email, 'long-enough-password')).accessToken;
}

describe('privilege escalation (Q2.3)', () => {
  it('When a real guest calls admin routes, then 403; with no token, 401', async () => {
    const guest = (await t.login(DEMO.guest)).accessToken;
    for (const [method, path] of [
      ['get', '/v1/admin/users'],
      ['put', '/v1/admin/roles/hacker'],
      ['post', '/v1/admin/service-clients'],
    ] as const) {
      const res = await t.http[method](path).set(bearer(guest)).send({ permissions: [] });
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 403, code: 'AUTH_FORBIDDEN' });
    }
    expect((await t.http.get('/v1/admin/users')).status).toBe(401);
  });
});

describe('role hierarchy and combination (Q1.1, Q1.2)', () => {
  it('When /v1/me is asked, then it lists direct and inherited roles and effective permissions', async () => {
    const senior = (await t.login(DEMO['senior.emea'])).accessToken;
    const res = await t.http.get('/v1/me').set(bearer(senior));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email: DEMO['senior.emea'], roles: ['senior_analyst'], region: 'EMEA' });
    expect(res.body.effectiveRoles).toEqual(expect.arrayContaining(['senior_analyst', 'analyst', 'guest']));
    expect(res.body.permissions).toEqual(
      expect.arrayContaining([
        { action: 'read', subject: 'Insight' },
        { action: 'query', subject: 'Warehouse', conditions: { region: 'EMEA' } },
      ]),
    );
  });

  it('When a senior analyst reads insights, then every region is visible (inheritance plus its own rule)', async () => {
    const senior = (await t.login(DEMO['senior.emea'])).accessToken;
    const res = await t.http.get('/v1/insights').set(bearer(senior));
    expect(new Set(res.body.data.map((i: { region: string }) => i.region))).toEqual(new Set(['EMEA', 'AMER', 'APAC']));
  });

  it('When a user holds two roles, then they can do what either allows', async () => {
    const token = await createUser('analyst.auditor@casebook.dev', ['analyst', 'auditor'], 'AMER');
    expect((await t.http.get('/v1/admin/users').set(bearer(token))).status).toBe(200); // auditor: read User
    expect((await t.http.get('/v1/insights').set(bearer(token))).status).toBe(200); // analyst: read Insight
    expect(
      (await t.http.delete('/v1/admin/users/00000000-0000-0000-0000-000000000000').set(bearer(token))).status,
    ).toBe(403);
  });

  it('When one role denies what another allows, then the deny wins', async () => {
    const token = await createUser('suspended.admin@casebook.dev', ['admin', 'suspended']);
    const res = await t.http.get('/v1/admin/users').set(bearer(token));
    expect(res.status).toBe(403);
  });

  it('When a role contradicts itself or its parents loop, then 422 names the problem', async () => {
    const contradictory = await t.http
      .put('/v1/admin/roles/confused')
      .set(asAdmin())
      .send({
        permissions: [
          { action: 'read', subject: 'Insight' },
          { action: 'read', subject: 'Insight', inverted: true },
        ],
      });
    expect(contradictory.status).toBe(422);
    expect(contradictory.body.code).toBe('AUTH_ROLE_INVALID');
    expect(contradictory.body.errors[0].field).toMatch(/^permissions/);

    expect((await t.http.put('/v1/admin/roles/loop_a').set(asAdmin()).send({ permissions: [] })).status).toBe(200);
    expect(
      (await t.http.put('/v1/admin/roles/loop_b').set(asAdmin()).send({ parent: 'loop_a', permissions: [] })).status,
    ).toBe(200);
    const cycle = await t.http.put('/v1/admin/roles/loop_a').set(asAdmin()).send({ parent: 'loop_b', permissions: [] });
    expect(cycle.status).toBe(422);
    expect(cycle.body.errors.map((e: { field: string }) => e.field)).toContain('parent');
  });

  it('When an admin grants a new role, then the user gets its permissions on the next token and old tokens stop', async () => {
    expect(
      (
        await t.http
          .put('/v1/admin/roles/insight_reader')
          .set(asAdmin())
          .send({ description: 'reads every insight', permissions: [{ action: 'read', subject: 'Insight' }] })
      ).status,
    ).toBe(200);
    const before = (await t.login(DEMO.guest)).accessToken;
    expect((await t.http.get('/v1/insights').set(bearer(before))).status).toBe(403);
    const guestId = await t.userId(DEMO.guest);
    const patched = await t.http
      .patch(`/v1/admin/users/${guestId}`)
      .set(asAdmin())
      .send({ roles: ['guest', 'insight_reader'] });
    expect(patched.status).toBe(200);
    expect((await t.http.get('/v1/insights').set(bearer(before))).body.code).toBe('AUTH_TOKEN_REVOKED');
    const after = (await t.login(DEMO.guest)).accessToken;
    expect((await t.http.get('/v1/insights').set(bearer(after))).status).toBe(200);
  });

  it('When a role is assigned that does not exist, then 422 names roles', async () => {
    const res = await t.http
      .post('/v1/admin/users')
      .set(asAdmin())
      .send({ email: 'nobody@casebook.dev', password: 'long-enough-password', roles: ['no_such_role'] });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('roles');
  });
});

describe('ABAC: region scope in the SQL (Q1.3)', () => {
  it('When analyst.emea lists insights, then only EMEA rows come back though other regions exist', async () => {
    const [{ others }] = await t.app
      .get(DataSource)
      .query("SELECT count(*)::int AS others FROM insights WHERE region <> 'EMEA'");
    expect(others).toBeGreaterThan(0);
    const emea = (await t.login(DEMO['analyst.emea'])).accessToken;
    const res = await t.http.get('/v1/insights').set(bearer(emea));
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(0);
    expect(res.body.data.every((i: { region: string }) => i.region === 'EMEA')).toBe(true);
  });

  it('When analyst.emea reads an AMER insight by id, then 403 and no row data', async () => {
    const [{ id }] = await t.app.get(DataSource).query("SELECT id FROM insights WHERE region = 'AMER' LIMIT 1");
    const emea = (await t.login(DEMO['analyst.emea'])).accessToken;
    const res = await t.http.get(`/v1/insights/${id}`).set(bearer(emea));
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).not.toMatch(/AMER SMB/);
    const amer = (await t.login(DEMO['analyst.amer'])).accessToken;
    expect((await t.http.get(`/v1/insights/${id}`).set(bearer(amer))).status).toBe(200);
  });

  it('When the list query runs, then its WHERE clause carries the region as a bound parameter', async () => {
    const db = t.app.get(DataSource);
    const seen: { sql: string; params: unknown[] }[] = [];
    const original = db.query.bind(db);
    const spy = jest.spyOn(db, 'query').mockImplementation((sql: string, params?: unknown[]) => {
      if (sql.includes('FROM insights')) seen.push({ sql, params: params ?? [] });
      return original(sql, params);
    });
    try {
      const emea = (await t.login(DEMO['analyst.emea'])).accessToken;
      await t.http.get('/v1/insights').set(bearer(emea));
    } finally {
      spy.mockRestore();
    }
    const list = seen.find((q) => q.sql.includes('ORDER BY created_at DESC'));
    const placeholder = /"region" = \$(\d+)/.exec(list?.sql ?? '');
    expect(placeholder).not.toBeNull();
    expect(list?.params[Number(placeholder![1]) - 1]).toBe('EMEA');
    expect(list?.sql).not.toContain('EMEA');
  });

  it('When a guest lists insights, then 403 (no rule allows any)', async () => {
    const guest = await createUser('plain.guest@casebook.dev', ['guest']);
    expect((await t.http.get('/v1/insights').set(bearer(guest))).status).toBe(403);
  });
});
