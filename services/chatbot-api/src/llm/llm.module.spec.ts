import { Module } from '@nestjs/common';
import {
  baseConfigSchema,
  ConfigError,
  createLogger,
  describeConfig,
  loadConfig,
  Metrics,
  PlatformModule,
} from '@casebook/platform';
import { createTestApp, FakeOpenAiServer, type TestApp } from '@casebook/testing';
import { complete } from './complete';
import { createLlmProvider } from './create-provider';
import { llmConfigSchema } from './llm.config';
import { LLM_PROVIDER, LlmModule } from './llm.module';
import type { LlmProvider } from './llm.types';
import { OUTBOUND_GATE, type OutboundGate } from './outbound-gate/outbound-gate';
import { ResilientLlmProvider } from './resilience/resilient.provider';
import { TemplateProvider } from './template/template.provider';

const schema = baseConfigSchema({ port: 0, database: 'casebook_chatbot' }).merge(llmConfigSchema);
const configOf = (env: Record<string, string>) => loadConfig(schema, { LOG_LEVEL: 'silent', ...env });

const request = {
  messages: [{ role: 'user' as const, content: 'total revenue' }],
  grounding: {
    query: { metrics: ['revenue'], groupBy: [], filters: {}, time: null, timeZone: 'UTC' },
    columns: ['revenue'],
    rows: [{ revenue: 1_000 }],
  },
};

@Module({})
class NoRoutes {}

describe('LLM configuration and module', () => {
  const deps = () => ({
    metrics: new Metrics('chatbot-api', { defaultMetrics: false }),
    logger: createLogger({ service: 'chatbot-api', level: 'silent' }),
  });

  it('When no LLM variable is set, then the template answers: the platform runs without a key or network', async () => {
    const provider = createLlmProvider(configOf({}), deps());

    expect(provider).toBeInstanceOf(TemplateProvider);
    expect((await complete(provider, request)).text).toBe('Revenue: €1,000.');
  });

  it('When a vendor is configured, then it comes wrapped in the breaker with the template as fallback', () => {
    const provider = createLlmProvider(
      configOf({ LLM_PROVIDER: 'openai', LLM_BASE_URL: 'http://127.0.0.1:1/v1', LLM_MODEL: 'llama3' }),
      deps(),
    );

    expect(provider).toBeInstanceOf(ResilientLlmProvider);
    expect(provider).toMatchObject({ name: 'openai', model: 'llama3' });
    provider.close?.();
  });

  it('When Gemini (or OpenAI itself) is chosen without a key, then boot fails naming LLM_API_KEY', () => {
    expect(() => createLlmProvider(configOf({ LLM_PROVIDER: 'gemini' }), deps())).toThrow(ConfigError);
    expect(() => createLlmProvider(configOf({ LLM_PROVIDER: 'openai' }), deps())).toThrow(/LLM_API_KEY/);
  });

  it('When the config is bad, then every bad LLM variable is listed, and the key is never printed', () => {
    let problems: string[] = [];
    try {
      configOf({ LLM_PROVIDER: 'claude', LLM_TIMEOUT_MS: 'soon', LLM_BASE_URL: 'not a url' });
    } catch (error) {
      problems = (error as ConfigError).problems.map((p) => p.split(':')[0]!);
    }
    expect(problems.sort()).toEqual(['LLM_BASE_URL', 'LLM_PROVIDER', 'LLM_TIMEOUT_MS']);

    const config = configOf({ LLM_PROVIDER: 'gemini', LLM_API_KEY: 'AIza-secret-value' });
    expect(describeConfig(schema, config).LLM_API_KEY).toBe('[secret]');
  });

  describe('LlmModule in a running app', () => {
    let vendor: FakeOpenAiServer;
    let t: TestApp;

    beforeAll(async () => {
      vendor = await FakeOpenAiServer.start({ apiKey: 'sk-module', text: 'From the vendor.' });
      const config = configOf({
        LLM_PROVIDER: 'openai',
        LLM_BASE_URL: vendor.baseUrl,
        LLM_API_KEY: 'sk-module',
      });
      t = await createTestApp({
        config,
        module: (c, logDestination) => ({
          module: NoRoutes,
          imports: [PlatformModule.forRoot({ service: 'chatbot-api', config: c, logDestination }), LlmModule],
        }),
      });
    });
    afterAll(async () => {
      await t.close();
      await vendor.close();
    });

    it('When the app asks the injected provider, then the configured vendor answers and the gate lets it out', async () => {
      const provider = t.app.get<LlmProvider>(LLM_PROVIDER);
      const gate = t.app.get<OutboundGate>(OUTBOUND_GATE);

      const answer = await complete(provider, request);
      const reviewed = await gate.review(answer.text, { userId: 'u1', channel: 'stored' });

      expect(answer).toMatchObject({ text: 'From the vendor.', provider: 'openai', fallback: false });
      expect(reviewed).toMatchObject({ text: 'From the vendor.', verdict: 'allow', categories: [], ruleIds: [] });
      expect(vendor.completedGenerations).toBe(1);
    });

    it('When Prometheus scrapes, then the breaker state and the call outcomes are there', async () => {
      const scrape = await t.http.get('/metrics').expect(200);

      expect(scrape.text).toMatch(/llm_breaker_state\{provider="openai",service="chatbot-api"\} 0/);
      expect(scrape.text).toMatch(/llm_calls_total\{provider="openai",outcome="success",service="chatbot-api"\} 1/);
    });
  });
});
