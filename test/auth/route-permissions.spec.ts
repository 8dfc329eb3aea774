import { AppModule as ChatbotModule, loadChatbotConfig } from '@casebook/chatbot-api';
import { AppModule as ModerationModule, loadModerationConfig } from '@casebook/moderation-service';
import { AppModule as QueryModule, loadQueryConfig } from '@casebook/query-service';
import { createTestApp, routeInventory, type TestApp, useTestEnvironment } from '@casebook/testing';
import type { Env } from '@casebook/platform';

// Deny by default (STYLE.md §8): every route of every service declares a permission or @Public().
const chatbotEnv = useTestEnvironment('chatbot-api');
const queryEnv = useTestEnvironment('query-service');
const moderationEnv = useTestEnvironment('moderation-service');

const services: [string, () => Promise<TestApp>][] = [
  [
    'chatbot-api',
    () =>
      createTestApp({
        config: loadChatbotConfig(chatbotEnv.env({ AUTH_KEYS_DIR: ':memory:' } as Env)),
        module: (c, logDestination) => ChatbotModule.forRoot(c, { logDestination }),
      }),
  ],
  [
    'query-service',
    () =>
      createTestApp({
        config: loadQueryConfig(queryEnv.env()),
        module: (c, logDestination) => QueryModule.forRoot(c, { logDestination }),
      }),
  ],
  [
    'moderation-service',
    () =>
      createTestApp({
        config: loadModerationConfig(moderationEnv.env()),
        module: (c, logDestination) => ModerationModule.forRoot(c, { logDestination }),
      }),
  ],
];

describe.each(services)('%s routes', (_name, boot) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await boot();
  });
  afterAll(() => t?.close());

  it('When the routes are listed, then each declares a permission or @Public(), never neither', () => {
    const routes = routeInventory(t.app);
    expect(routes.length).toBeGreaterThan(2);
    const undeclared = routes.filter((r) => !r.isPublic && !r.permission).map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
  });

  it('When the routes are listed, then each declares its audit decision: @Audited, @AuditedInService or @AuditExempt (Q6.1)', () => {
    const routes = routeInventory(t.app);
    const undecided = routes.filter((r) => r.audit === undefined).map((r) => `${r.method} ${r.path}`);
    expect(undecided).toEqual([]);
    for (const { audit } of routes) {
      if (audit?.kind === 'exempt') expect(audit.reason.length).toBeGreaterThan(10);
      if (audit?.kind === 'service') expect(audit.events.length).toBeGreaterThan(10);
    }
  });
});

describe('the inventory itself', () => {
  it('When a controller forgets its declaration, then the inventory reports it', async () => {
    const { Controller, Get } = await import('@nestjs/common');
    @Controller('forgotten')
    class ForgottenController {
      @Get()
      list() {
        return [];
      }
    }
    const t = await createTestApp({
      config: loadModerationConfig(moderationEnv.env()),
      module: (c, logDestination) => ModerationModule.forRoot(c, { logDestination }),
      controllers: [ForgottenController],
    });
    try {
      const forgotten = routeInventory(t.app).filter((r) => !r.isPublic && !r.permission);
      expect(forgotten.map((r) => r.controller)).toEqual(['ForgottenController']);
      expect(forgotten[0]!.audit).toBeUndefined();
      // And the guard denies it at run time too.
      expect((await t.http.get('/forgotten')).status).toBe(401);
    } finally {
      await t.close();
    }
  });
});
