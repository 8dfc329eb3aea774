import { FakeGeminiServer, waitFor } from '@casebook/testing';
import type { LlmRequest } from '../llm.types';
import { GeminiProvider } from './gemini.provider';
import { collect, failure } from '../../../test/llm/streams';

const KEY = 'AIza-test-0123456789';

const request: LlmRequest = {
  system: 'Be brief.',
  messages: [
    { role: 'user', content: 'ingresos en EMEA en el primer trimestre de 2024' },
    { role: 'assistant', content: 'Electrónica lidera.' },
    { role: 'user', content: '¿y el total?' },
  ],
  language: 'es',
  grounding: {
    query: {
      metrics: ['revenue'],
      groupBy: [],
      filters: { region: ['EMEA'] },
      time: { from: '2024-01-01T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z' },
      timeZone: 'UTC',
    },
    columns: ['revenue'],
    rows: [{ revenue: 2_046_913.39 }],
  },
};

describe('GeminiProvider (native streamGenerateContent over SSE)', () => {
  let server: FakeGeminiServer;
  const provider = (overrides: Partial<ConstructorParameters<typeof GeminiProvider>[0]> = {}) =>
    new GeminiProvider({
      baseUrl: server.baseUrl,
      apiKey: KEY,
      model: 'gemini-test',
      maxTokens: 256,
      stallTimeoutMs: 5_000,
      ...overrides,
    });

  beforeAll(async () => {
    server = await FakeGeminiServer.start({ apiKey: KEY });
  });
  afterEach(() => server.reset());
  afterAll(() => server.close());

  it('When Gemini streams CRLF-framed responses, then tokens arrive one by one and the last one ends the answer with usage', async () => {
    server.setBehaviour({ kind: 'respond', text: 'Los ingresos fueron 2,05 M€.' });

    const chunks = await collect(provider().generate(request));

    expect(chunks.filter((c) => c.type === 'token').map((c) => c.text)).toEqual([
      'Los',
      ' ingresos',
      ' fueron',
      ' 2,05',
      ' M€.',
    ]);
    expect(chunks.at(-1)).toEqual({
      type: 'done',
      provider: 'gemini',
      model: 'gemini-test',
      fallback: false,
      finishReason: 'stop',
      usage: { inputTokens: expect.any(Number), outputTokens: 5 },
    });
    expect(server.completedGenerations).toBe(1);
  });

  it('When it calls Gemini, then the key travels in x-goog-api-key (never the URL) with the grounded system instruction', async () => {
    await collect(provider({ model: 'models/gemini-test' }).generate(request));

    const sent = server.requests[0]!;
    const body = sent.body as {
      systemInstruction: { parts: { text: string }[] };
      contents: { role: string; parts: { text: string }[] }[];
      generationConfig: { maxOutputTokens: number };
    };
    expect(sent.path).toBe('/v1beta/models/gemini-test:streamGenerateContent?alt=sse');
    expect(sent.headers['x-goog-api-key']).toBe(KEY);
    expect(body.contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
    expect(body.generationConfig.maxOutputTokens).toBe(256);
    const system = body.systemInstruction.parts[0]!.text;
    expect(system).toContain('Answer in Spanish');
    expect(system).toContain('2046913.39');
    expect(system).toContain('Reference answer with verified numbers: Ingresos en EMEA en el T1 2024: 2,05');
    expect(system.endsWith('Be brief.')).toBe(true);
  });

  it('When the key is not valid, then Gemini’s 400 is a non-retryable error', async () => {
    const { error } = await failure(provider({ apiKey: 'AIza-wrong' }).generate(request));

    expect(error).toMatchObject({ kind: 'http', status: 400, retryable: false });
    expect(error.message).toContain('API key not valid');
  });

  it('When Gemini is overloaded (503), then the error is retryable', async () => {
    server.enqueue({ kind: 'error', status: 503, message: 'The model is overloaded. Please try again later.' });

    const { error } = await failure(provider().generate(request));

    expect(error).toMatchObject({ kind: 'http', status: 503, retryable: true });
    expect(error.message).toContain('The model is overloaded');
  });

  it('When the connection closes after some chunks, then the stream fails instead of passing a cut answer as whole', async () => {
    server.enqueue({ kind: 'disconnect', afterChunks: 2 });

    const { error, tokens } = await failure(provider().generate(request));

    expect(tokens).toBe(2);
    expect(error.retryable).toBe(true);
    expect(error.kind).toBe('network');
  });

  it('When the stream ends cleanly but without a finishReason, then it fails as truncated (Gemini sends no [DONE])', async () => {
    server.enqueue({ kind: 'disconnect', afterChunks: 2, graceful: true });

    const { error, tokens } = await failure(provider().generate(request));

    expect(tokens).toBe(2);
    expect(error).toMatchObject({ kind: 'truncated', retryable: true });
    expect(server.completedGenerations).toBe(0);
  });

  it('When Gemini stalls, then the watchdog aborts the request', async () => {
    server.enqueue({ kind: 'stall', afterChunks: 1 });

    const { error, tokens } = await failure(provider({ stallTimeoutMs: 300 }).generate(request));

    expect(tokens).toBe(1);
    expect(error.kind).toBe('stalled');
    await waitFor(() => server.abortedGenerations === 1, { timeoutMs: 10_000, message: 'the fake saw no abort' });
  });
});
