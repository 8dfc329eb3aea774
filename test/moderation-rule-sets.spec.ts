import { AppModule as ModerationModule, LiveSnapshots, loadModerationConfig } from '@casebook/moderation-service';
import { defaultRuleSets, loadDefaultModel, type RuleSetDefinition } from '@casebook/moderation';
import { createTestApp, type TestApp, useTestEnvironment, waitFor } from '@casebook/testing';

import { bearer, type Issuer, startIssuer } from './support/platform';

// Q23.1, Q24.1–Q24.4, Q28.4: compliance changes rules at run time. Two moderation-service instances on one
// database and one Redis; a publish on one is served by both.
const chatbotEnv = useTestEnvironment('chatbot-api');
const moderationEnv = useTestEnvironment('moderation-service');
let issuer: Issuer | undefined;
let a: TestApp;
let b: TestApp;
let admin: string;
let guest: string;

const DEFAULTS = defaultRuleSets(loadDefaultModel().thresholds);
const blocking = (id: string, term: string): RuleSetDefinition => ({
  id,
  region: 'default',
  rules: [{ id: `no-${term}`, action: 'block', match: { kind: 'keyword', terms: [term] } }],
});

async function boot(overrides: Record<string, string> = {}): Promise<TestApp> {
  return createTestApp({
    config: loadModerationConfig(moderationEnv.env({ AUTH_JWKS_URL: issuer!.jwksUrl, ...overrides })),
    module: (c, logDestination) => ModerationModule.forRoot(c, { logDestination }),
  });
}

beforeAll(async () => {
  issuer = await startIssuer(chatbotEnv);
  admin = await issuer.login('admin@casebook.dev');
  guest = await issuer.login('guest@casebook.dev');
  // Polls far apart: a swap within the test's time comes from the announcement, not from a poll.
  a = await boot({ MODERATION_RULES_POLL_MS: '600000' });
  b = await boot({ MODERATION_RULES_POLL_MS: '600000' });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await issuer?.app.close();
});

const actionOn = async (t: TestApp, text: string): Promise<string> => {
  const res = await t.http.post('/v1/moderate').set(bearer(admin)).send({ text, direction: 'output' });
  expect(res.status).toBe(200);
  return res.body.action as string;
};
const draft = async (ruleSets: RuleSetDefinition[], note = '') => {
  const res = await a.http.post('/v1/rule-sets').set(bearer(admin)).send({ ruleSets, note });
  expect(res.status).toBe(201);
  return res.body as { id: string; state: string; version: string };
};
const publish = async (id: string, as: 'active' | 'shadow' = 'active') => {
  const res = await a.http.post(`/v1/rule-sets/${id}/publish`).set(bearer(admin)).send({ as });
  expect(res.status).toBe(200);
  return res.body as { state: string; version: string };
};

describe('rule sets published at run time', () => {
  let base: { id: string };
  let widgets: { id: string; state: string; version: string };

  it('When a draft is stored, then it is a draft and traffic still runs on the shipped rules', async () => {
    base = await draft(DEFAULTS, 'the shipped rules');
    widgets = await draft([...DEFAULTS, blocking('widgets', 'widget')], 'block widgets');

    expect(widgets.state).toBe('draft');
    expect(widgets.version).toMatch(/^sha256:/);
    expect(await actionOn(a, 'the widget report')).toBe('allow');
  });

  it('When a draft is previewed, then the diff counts both versions and lists the sample that changes', async () => {
    const res = await a.http
      .post(`/v1/rule-sets/${widgets.id}/preview`)
      .set(bearer(admin))
      .send({ samples: [{ text: 'the widget report' }, { text: 'revenue grew in EMEA' }] });

    expect(res.status).toBe(200);
    expect(res.body.counts.draft.block).toBe(1);
    expect(res.body.changed).toBe(1);
    expect(res.body.examples[0]).toMatchObject({ sample: 0, from: 'allow', to: 'block', toRules: ['no-widget'] });
  });

  it('When a version is published on one instance, then both instances apply it', async () => {
    const published = await publish(widgets.id);

    expect(published.state).toBe('active');
    expect(await actionOn(a, 'the widget report')).toBe('block');
    await waitFor(async () => (await actionOn(b, 'the widget report')) === 'block', {
      timeoutMs: 5_000,
      message: 'the second instance did not apply the published rule set',
    });
    const res = await b.http.post('/v1/moderate').set(bearer(admin)).send({ text: 'x', direction: 'output' });
    expect(res.body.ruleSetVersion).toBe(widgets.version);
  });

  it('When an instance misses the announcement, then it catches up within its poll interval', async () => {
    const late = await boot({ MODERATION_RULES_POLL_MS: '200' });
    try {
      const live = late.app.get(LiveSnapshots);
      // Cut this instance off the announcements: only its poll of the active version is left.
      (live as unknown as { subscriber?: { disconnect(): void } }).subscriber?.disconnect();
      await publish(base.id);
      await waitFor(async () => (await actionOn(late, 'the widget report')) === 'allow', {
        timeoutMs: 5_000,
        message: 'the instance without announcements did not catch up',
      });
    } finally {
      await late.close();
    }
  });

  it('When an earlier version is published again, then it is the rollback and traffic follows it', async () => {
    await publish(widgets.id);
    await waitFor(async () => (await actionOn(b, 'the widget report')) === 'block', { timeoutMs: 5_000 });

    await publish(base.id);

    await waitFor(async () => (await actionOn(b, 'the widget report')) === 'allow', { timeoutMs: 5_000 });
    expect(await actionOn(a, 'the widget report')).toBe('allow');
  });

  it('When a version is published as shadow, then it runs beside the active one and never decides', async () => {
    const gadgets = await draft([...DEFAULTS, blocking('gadgets', 'gadget')]);

    await publish(gadgets.id, 'shadow');

    expect(a.app.get(LiveSnapshots).holder.currentShadow()?.version).toBe(
      (await a.http.get(`/v1/rule-sets/${gadgets.id}`).set(bearer(admin))).body.version,
    );
    expect(await actionOn(a, 'the gadget report')).toBe('allow');
  });

  it.each([
    ['a backreference (RE2 cannot run it in linear time)', '(a)\\1', 'RULE_REGEX_UNSUPPORTED'],
    ['a counted repeat over the limit', '(a|aa){1000}', 'RULE_REGEX_LIMIT'],
  ])(
    'When a draft holds %s, then it is a 422 naming the rule and the pattern, and nothing is stored',
    async (_what, pattern, code) => {
      const before = (await a.http.get('/v1/rule-sets?limit=100').set(bearer(admin))).body.data.length;
      const bad: RuleSetDefinition = {
        id: 'bad',
        region: 'default',
        rules: [{ id: 'bad-pattern', action: 'block', match: { kind: 'regex', pattern } }],
      };

      const res = await a.http
        .post('/v1/rule-sets')
        .set(bearer(admin))
        .send({ ruleSets: [...DEFAULTS, bad] });

      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('RULE_SET_INVALID');
      expect(res.body.problems).toEqual([expect.objectContaining({ code, ruleId: 'bad-pattern', pattern })]);
      expect((await a.http.get('/v1/rule-sets?limit=100').set(bearer(admin))).body.data.length).toBe(before);
    },
  );

  it('When a guest tries to publish or read rule sets, then it is 403; an unknown version is 404', async () => {
    expect(
      (await a.http.post(`/v1/rule-sets/${base.id}/publish`).set(bearer(guest)).send({ as: 'active' })).status,
    ).toBe(403);
    expect((await a.http.get('/v1/rule-sets').set(bearer(guest))).status).toBe(403);
    const missing = await a.http.get('/v1/rule-sets/999999').set(bearer(admin));
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('RULE_SET_NOT_FOUND');
  });
});
