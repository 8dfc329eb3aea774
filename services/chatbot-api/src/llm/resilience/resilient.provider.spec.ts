import { createLogger, Metrics } from '@casebook/platform';
import { FakeGeminiServer, FakeOpenAiServer, LogCapture, waitFor } from '@casebook/testing';
import { complete } from '../complete';
import type { GroundingData, LlmProvider, LlmRequest } from '../llm.types';
import { composeAnswer } from '../template/compose-answer';
import { TemplateProvider } from '../template/template.provider';
import { GeminiProvider } from '../vendors/gemini.provider';
import { OpenAiProvider } from '../vendors/openai.provider';
import { type ResilienceOptions, ResilientLlmProvider } from './resilient.provider';
import { EMEA_Q1_BY_CATEGORY, collect } from '../../../test/llm/streams';

const grounding: GroundingData = EMEA_Q1_BY_CATEGORY;
const request: LlmRequest = {
  messages: [{ role: 'user', content: 'revenue in EMEA for Q1 2024 by category' }],
  grounding,
};
const TEMPLATE_ANSWER = composeAnswer(grounding, 'en');
const VENDOR_ANSWER = 'Electronics led EMEA with €1.23M of €2.05M.';

const defaults: ResilienceOptions = {
  timeoutMs: 10_000,
  maxRetries: 2,
  retryBaseMs: 10,
  retryMaxMs: 1_500,
  // High enough that the retry tests never open the breaker; the breaker tests lower it.
  breaker: { errorThresholdPercentage: 50, volumeThreshold: 20, resetTimeoutMs: 300, rollingWindowMs: 30_000 },
};
/** The breaker may open after two calls in the window: the smallest number that shows a trend. */
const trippy: Partial<ResilienceOptions> = { breaker: { ...defaults.breaker, volumeThreshold: 2 } };

describe('ResilientLlmProvider (Q4.4: breaker, retries and the template fallback)', () => {
  let server: FakeOpenAiServer;
  const opened: ResilientLlmProvider[] = [];

  function setup(
    options: Partial<ResilienceOptions> = {},
    vendor: LlmProvider = new OpenAiProvider({
      baseUrl: server.baseUrl,
      model: 'gpt-test',
      maxTokens: 128,
      stallTimeoutMs: 5_000,
    }),
  ) {
    const metrics = new Metrics('chatbot-api', { defaultMetrics: false });
    const logs = new LogCapture();
    const logger = createLogger({ service: 'chatbot-api', level: 'info', destination: logs });
    const provider = new ResilientLlmProvider(
      vendor,
      new TemplateProvider(),
      { ...defaults, ...options },
      {
        metrics,
        logger,
      },
    );
    opened.push(provider);
    const metric = async (name: string, labels: Record<string, string> = {}) => {
      const values = (await metrics.registry.getSingleMetric(name)?.get())?.values ?? [];
      return values
        .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
        .reduce((sum, v) => sum + v.value, 0);
    };
    const transitions = () => logs.lines.filter((l) => l.breaker !== undefined).map((l) => l.breaker);
    return { provider, metric, logs, transitions };
  }

  beforeAll(async () => {
    server = await FakeOpenAiServer.start({ text: VENDOR_ANSWER });
  });
  afterEach(() => {
    for (const provider of opened.splice(0)) provider.close();
    server.reset();
  });
  afterAll(() => server.close());

  describe('retries', () => {
    it('When the vendor answers 500 twice and then succeeds, then the third attempt answers and nothing falls back', async () => {
      const { provider, metric } = setup();
      server.enqueue({ kind: 'error', status: 500 }, { kind: 'error', status: 502 });

      const answer = await complete(provider, request);

      expect(answer).toMatchObject({ text: VENDOR_ANSWER, provider: 'openai', fallback: false });
      expect(server.requestCount).toBe(3);
      expect(server.completedGenerations).toBe(1);
      expect(await metric('llm_retries_total', { reason: 'vendor_error' })).toBe(2);
    });

    it('When the vendor rate-limits with Retry-After: 1, then the retry waits that second and succeeds', async () => {
      const { provider, metric } = setup();
      server.enqueue({ kind: 'error', status: 429, retryAfter: 1 });

      const answer = await complete(provider, request);

      expect(answer.fallback).toBe(false);
      expect(server.requestCount).toBe(2);
      const [first, second] = server.requests;
      expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
      expect(await metric('llm_retries_total', { reason: 'rate_limited' })).toBe(1);
    });

    it('When Retry-After is longer than the retry cap, then it does not wait: the template answers now', async () => {
      const { provider } = setup({ retryMaxMs: 500 });
      server.enqueue({ kind: 'error', status: 429, retryAfter: 30 });

      const answer = await complete(provider, request);

      expect(answer).toMatchObject({ text: TEMPLATE_ANSWER, fallback: true, fallbackReason: 'rate_limited' });
      expect(server.requestCount).toBe(1);
    });

    it.each([400, 401, 403, 404, 422])(
      'When the vendor answers %i, then it is asked once and the template answers, marked as fallback',
      async (status) => {
        const { provider, metric } = setup();
        server.setBehaviour({ kind: 'error', status });

        const answer = await complete(provider, request);

        expect(answer).toMatchObject({
          text: TEMPLATE_ANSWER,
          provider: 'template',
          fallback: true,
          fallbackReason: 'rejected',
        });
        expect(server.requestCount).toBe(1);
        expect(await metric('llm_retries_total')).toBe(0);
        expect(await metric('llm_fallbacks_total', { reason: 'rejected' })).toBe(1);
      },
    );

    it('When the connection drops before any token, then the call is retried and answers', async () => {
      const { provider } = setup();
      server.enqueue({ kind: 'disconnect', afterChunks: 0 });

      const answer = await complete(provider, request);

      expect(answer).toMatchObject({ text: VENDOR_ANSWER, fallback: false });
      expect(server.requestCount).toBe(2);
    });

    it('When the stream dies after tokens reached the caller, then it is not retried: a reset, then the template answer', async () => {
      const { provider } = setup();
      server.enqueue({ kind: 'disconnect', afterChunks: 3 });

      const chunks = await collect(provider.generate(request));

      const reset = chunks.findIndex((c) => c.type === 'reset');
      expect(chunks.slice(0, reset).map((c) => (c.type === 'token' ? c.text : ''))).toEqual([
        'Electronics',
        ' led',
        ' EMEA',
      ]);
      expect(chunks[reset]).toEqual({ type: 'reset', reason: 'network_error' });
      const after = chunks.slice(reset + 1);
      expect(after.map((c) => (c.type === 'token' ? c.text : '')).join('')).toBe(TEMPLATE_ANSWER);
      expect(after.at(-1)).toMatchObject({
        type: 'done',
        provider: 'template',
        fallback: true,
        fallbackReason: 'network_error',
      });
      expect(server.requestCount).toBe(1);
    });
  });

  describe('slow and hanging vendors', () => {
    it('When the vendor sends nothing for the stall window, then the call is aborted and the template answers at once', async () => {
      const { provider } = setup(
        {},
        new OpenAiProvider({ baseUrl: server.baseUrl, model: 'gpt-test', maxTokens: 128, stallTimeoutMs: 300 }),
      );
      server.enqueue({ kind: 'stall', beforeHeaders: true });

      const answer = await complete(provider, request);

      expect(answer).toMatchObject({ text: TEMPLATE_ANSWER, fallback: true, fallbackReason: 'stalled' });
      // A stalled vendor is overloaded: no second attempt piles on.
      expect(server.requestCount).toBe(1);
      await waitFor(() => server.abortedGenerations === 1, {
        timeoutMs: 10_000,
        message: 'the stalled call stayed open',
      });
    });

    it('When the vendor stalls mid-stream, then the tokens so far are reset and replaced by the template answer', async () => {
      const { provider } = setup(
        {},
        new OpenAiProvider({ baseUrl: server.baseUrl, model: 'gpt-test', maxTokens: 128, stallTimeoutMs: 300 }),
      );
      server.enqueue({ kind: 'stall', afterChunks: 2 });

      const chunks = await collect(provider.generate(request));

      expect(chunks.filter((c) => c.type === 'reset')).toEqual([{ type: 'reset', reason: 'stalled' }]);
      expect(chunks.at(-1)).toMatchObject({ type: 'done', fallback: true, fallbackReason: 'stalled' });
    });

    it('When calls keep timing out, then the breaker opens and later calls fall back without waiting for the vendor', async () => {
      const { provider, metric } = setup({ ...trippy, timeoutMs: 300 });
      server.setBehaviour({ kind: 'respond', headersDelayMs: 3_000 });

      const first = await complete(provider, request);
      const second = await complete(provider, request);

      expect([first.fallbackReason, second.fallbackReason]).toEqual(['timeout', 'timeout']);
      expect(server.requestCount).toBe(2);
      expect(provider.breaker.opened).toBe(true);
      expect(await metric('llm_calls_total', { outcome: 'timeout' })).toBe(2);
      await waitFor(() => server.abortedGenerations === 2, {
        timeoutMs: 10_000,
        message: 'timed-out calls stayed open',
      });

      // The vendor would hold this call for 3 s; the open breaker answers without asking it.
      const third = await complete(provider, request);
      expect(third).toMatchObject({ text: TEMPLATE_ANSWER, fallback: true, fallbackReason: 'breaker_open' });
      expect(server.requestCount).toBe(2);
    });
  });

  describe('the breaker', () => {
    it('When the vendor keeps failing, then the breaker opens, stops the retries and answers from the template without calling it', async () => {
      const { provider, metric, transitions } = setup(trippy);
      server.setBehaviour({ kind: 'error', status: 503 });

      const first = await complete(provider, request);

      // Two failed attempts reach the volume threshold at 100% errors: the third attempt is never made.
      expect(first).toMatchObject({ fallback: true, fallbackReason: 'vendor_error' });
      expect(server.requestCount).toBe(2);
      expect(provider.breaker.opened).toBe(true);
      expect(await metric('llm_breaker_state', { provider: 'openai' })).toBe(2);
      expect(transitions()).toEqual(['open']);

      const second = await complete(provider, request);
      expect(second).toMatchObject({ text: TEMPLATE_ANSWER, fallback: true, fallbackReason: 'breaker_open' });
      expect(server.requestCount).toBe(2);
      expect(await metric('llm_calls_total', { outcome: 'rejected' })).toBe(1);
    });

    it('When the vendor recovers, then the breaker half-opens after its reset timeout and one good call closes it', async () => {
      const { provider, metric, transitions } = setup(trippy);
      server.setBehaviour({ kind: 'error', status: 500 });
      await complete(provider, request);
      expect(provider.breaker.opened).toBe(true);

      server.setBehaviour({ kind: 'respond', text: VENDOR_ANSWER });
      await waitFor(() => provider.breaker.halfOpen, { timeoutMs: 10_000, message: 'the breaker never half-opened' });
      expect(await metric('llm_breaker_state', { provider: 'openai' })).toBe(1);

      const answer = await complete(provider, request);

      expect(answer).toMatchObject({ text: VENDOR_ANSWER, provider: 'openai', fallback: false });
      expect(provider.breaker.closed).toBe(true);
      expect(await metric('llm_breaker_state', { provider: 'openai' })).toBe(0);
      expect(transitions()).toEqual(['open', 'half_open', 'closed']);
    });

    it('When the trial call in half-open fails, then the breaker opens again after that one call', async () => {
      const { provider, transitions } = setup(trippy);
      server.setBehaviour({ kind: 'error', status: 500 });
      await complete(provider, request);
      await waitFor(() => provider.breaker.halfOpen, { timeoutMs: 10_000, message: 'the breaker never half-opened' });
      const before = server.requestCount;

      const answer = await complete(provider, request);

      expect(answer.fallback).toBe(true);
      expect(server.requestCount).toBe(before + 1);
      expect(provider.breaker.opened).toBe(true);
      expect(transitions()).toEqual(['open', 'half_open', 'open']);
    });

    it('When requests are refused as bad (400), then the breaker stays closed; a refused key (401) opens it', async () => {
      const { provider, metric } = setup(trippy);
      server.setBehaviour({ kind: 'error', status: 400 });
      for (let i = 0; i < 2; i += 1) await complete(provider, request);
      expect(provider.breaker.closed).toBe(true);
      expect(await metric('llm_calls_total', { outcome: 'refused' })).toBe(2);

      // 5 calls, 3 of them failures: 60% > 50%.
      server.setBehaviour({ kind: 'error', status: 401 });
      for (let i = 0; i < 3; i += 1) await complete(provider, request);
      expect(provider.breaker.opened).toBe(true);
    });

    it('When Gemini is the vendor, then the same breaker and fallback apply', async () => {
      const gemini = await FakeGeminiServer.start({ apiKey: 'AIza-test' });
      try {
        const { provider } = setup(
          trippy,
          new GeminiProvider({
            baseUrl: gemini.baseUrl,
            apiKey: 'AIza-test',
            model: 'gemini-test',
            maxTokens: 128,
            stallTimeoutMs: 5_000,
          }),
        );
        gemini.setBehaviour({ kind: 'error', status: 503 });

        const answer = await complete(provider, request);

        expect(answer).toMatchObject({ text: TEMPLATE_ANSWER, fallback: true, fallbackReason: 'vendor_error' });
        expect(provider.breaker.opened).toBe(true);
        expect(gemini.requestCount).toBe(2);
      } finally {
        await gemini.close();
      }
    });
  });

  describe('cancellation', () => {
    it('When the caller aborts mid-stream, then the generation stops with the abort and nothing falls back', async () => {
      const { provider, metric } = setup();
      server.setBehaviour({ kind: 'respond', text: 'one two three four five six seven', tokenDelayMs: 200 });
      const controller = new AbortController();

      const reading = (async () => {
        for await (const chunk of provider.generate({ ...request, signal: controller.signal })) {
          if (chunk.type === 'token') controller.abort(new Error('job cancelled'));
        }
      })();

      await expect(reading).rejects.toThrow('job cancelled');
      expect(await metric('llm_fallbacks_total')).toBe(0);
      await waitFor(() => server.abortedGenerations === 1, { timeoutMs: 10_000, message: 'the call stayed open' });
      expect(provider.breaker.closed).toBe(true);
    });

    it('When the reader stops early, then the vendor request is aborted rather than left streaming', async () => {
      const { provider } = setup();
      server.setBehaviour({ kind: 'respond', text: 'one two three four five six seven', tokenDelayMs: 100 });

      for await (const chunk of provider.generate(request)) if (chunk.type === 'token') break;

      await waitFor(() => server.abortedGenerations === 1, { timeoutMs: 10_000, message: 'the call stayed open' });
      expect(server.completedGenerations).toBe(0);
    });
  });
});
