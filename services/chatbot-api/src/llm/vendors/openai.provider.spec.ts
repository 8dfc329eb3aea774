import { FakeOpenAiServer, waitFor } from '@casebook/testing';
import type { LlmRequest } from '../llm.types';
import { OpenAiProvider } from './openai.provider';
import { EMEA_Q1_BY_CATEGORY, collect, failure } from '../../../test/llm/streams';

const KEY = 'sk-test-0123456789';

const request: LlmRequest = {
  messages: [
    { role: 'user', content: 'revenue in EMEA for Q1 2024 by category' },
    { role: 'assistant', content: 'Electronics leads.' },
    { role: 'user', content: 'and the total?' },
  ],
  grounding: EMEA_Q1_BY_CATEGORY,
};

describe('OpenAiProvider (OpenAI-compatible chat completions over SSE)', () => {
  let server: FakeOpenAiServer;
  const provider = (overrides: Partial<ConstructorParameters<typeof OpenAiProvider>[0]> = {}) =>
    new OpenAiProvider({
      baseUrl: server.baseUrl,
      apiKey: KEY,
      model: 'gpt-test',
      maxTokens: 128,
      stallTimeoutMs: 5_000,
      ...overrides,
    });

  beforeAll(async () => {
    server = await FakeOpenAiServer.start({ apiKey: KEY });
  });
  afterEach(() => server.reset());
  afterAll(() => server.close());

  it('When the vendor streams chunks, then tokens arrive one by one and the final chunk carries usage and model', async () => {
    server.setBehaviour({ kind: 'respond', text: 'EMEA revenue was €2.05M, led by Electronics.' });

    const chunks = await collect(provider().generate(request));

    const tokens = chunks.filter((c) => c.type === 'token').map((c) => c.text);
    expect(tokens).toEqual(['EMEA', ' revenue', ' was', ' €2.05M,', ' led', ' by', ' Electronics.']);
    expect(chunks.at(-1)).toEqual({
      type: 'done',
      provider: 'openai',
      model: 'gpt-test',
      fallback: false,
      finishReason: 'stop',
      usage: { inputTokens: expect.any(Number), outputTokens: 7 },
    });
    expect(server.completedGenerations).toBe(1);
  });

  it('When it calls the vendor, then it sends a streamed chat completion with the bearer key and the grounded prompt', async () => {
    await collect(provider().generate(request));

    const sent = server.requests[0]!;
    const body = sent.body as {
      model: string;
      stream: boolean;
      stream_options: unknown;
      max_tokens: number;
      messages: { role: string; content: string }[];
    };
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(body).toMatchObject({
      model: 'gpt-test',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 128,
    });
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(body.messages[0]!.content).toContain('electronics | 1234567.89');
    expect(body.messages[0]!.content).toContain('Totals: revenue: 2046913.39');
    expect(body.messages[0]!.content).toContain('Reference answer with verified numbers: Revenue in EMEA for Q1 2024');
    expect(body.messages.at(-1)!.content).toBe('and the total?');
  });

  it('When the key is wrong, then it fails with a non-retryable 401 that does not contain the key', async () => {
    const { error } = await failure(provider({ apiKey: 'sk-wrong-key' }).generate(request));

    expect(error).toMatchObject({ kind: 'http', status: 401, retryable: false });
    expect(error.message).toContain('Incorrect API key provided');
    expect(error.message).not.toContain('sk-wrong-key');
  });

  it('When the vendor rate-limits with Retry-After, then the error is retryable and carries the delay', async () => {
    server.enqueue({ kind: 'error', status: 429, retryAfter: 2 });

    const { error } = await failure(provider().generate(request));

    expect(error).toMatchObject({ kind: 'http', status: 429, retryable: true, retryAfterMs: 2_000 });
  });

  it('When the connection closes mid-stream, then the tokens before it arrive and the stream fails as a network error', async () => {
    server.enqueue({ kind: 'disconnect', afterChunks: 3 });

    const { error, tokens } = await failure(provider().generate(request));

    expect(tokens).toBe(3);
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(server.completedGenerations).toBe(0);
  });

  it('When the body ends without data: [DONE] or a finish reason, then it fails as truncated', async () => {
    server.enqueue({ kind: 'disconnect', afterChunks: 2, graceful: true });

    const { error, tokens } = await failure(provider().generate(request));

    expect(tokens).toBe(2);
    expect(error).toMatchObject({ kind: 'truncated', retryable: true });
  });

  it('When the vendor stalls mid-stream, then the watchdog aborts the request and the vendor sees the client leave', async () => {
    server.enqueue({ kind: 'stall', afterChunks: 2 });
    const started = Date.now();

    const { error, tokens } = await failure(provider({ stallTimeoutMs: 300 }).generate(request));

    expect(tokens).toBe(2);
    expect(error).toMatchObject({ kind: 'stalled', retryable: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await waitFor(() => server.abortedGenerations === 1, { timeoutMs: 10_000, message: 'the fake saw no abort' });
  });

  it('When the vendor never sends its headers, then the watchdog aborts the request too', async () => {
    server.enqueue({ kind: 'stall', beforeHeaders: true });

    const { error, tokens } = await failure(provider({ stallTimeoutMs: 300 }).generate(request));

    expect(tokens).toBe(0);
    expect(error.kind).toBe('stalled');
    await waitFor(() => server.inFlight === 0, { timeoutMs: 10_000, message: 'the stalled request stayed open' });
  });

  it('When the caller aborts, then the stream fails as cancelled and the request is closed', async () => {
    server.setBehaviour({ kind: 'respond', text: 'one two three four five six', tokenDelayMs: 200 });
    const controller = new AbortController();

    const result = failure(
      (async function* () {
        for await (const chunk of provider().generate({ ...request, signal: controller.signal })) {
          if (chunk.type === 'token') controller.abort();
          yield chunk;
        }
      })(),
    );

    await expect(result).resolves.toMatchObject({ error: { kind: 'cancelled' } });
    await waitFor(() => server.abortedGenerations === 1, { timeoutMs: 10_000, message: 'the fake saw no abort' });
  });

  it('When the server is a local one without a key (Ollama, vLLM), then no Authorization header is sent', async () => {
    const open = await FakeOpenAiServer.start();
    try {
      const chunks = await collect(
        new OpenAiProvider({
          baseUrl: open.baseUrl,
          model: 'llama3',
          maxTokens: 64,
          stallTimeoutMs: 5_000,
        }).generate(request),
      );

      expect(chunks.at(-1)).toMatchObject({ type: 'done', model: 'llama3' });
      expect(open.requests[0]!.headers.authorization).toBeUndefined();
    } finally {
      await open.close();
    }
  });
});
