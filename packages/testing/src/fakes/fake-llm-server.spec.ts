import { waitFor } from '../wait-for';
import { FakeGeminiServer } from './fake-gemini-server';
import { FakeOpenAiServer } from './fake-openai-server';

const chat = (stream: boolean) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer sk-fake' },
  body: JSON.stringify({ model: 'gpt-x', stream, messages: [{ role: 'user', content: 'hi' }] }),
});

describe('Fake LLM vendor servers', () => {
  let openai: FakeOpenAiServer;
  let gemini: FakeGeminiServer;

  beforeAll(async () => {
    openai = await FakeOpenAiServer.start({ apiKey: 'sk-fake', text: 'Hello there friend' });
    gemini = await FakeGeminiServer.start({ apiKey: 'AIza-fake', text: 'Hola amigo' });
  });
  afterEach(() => {
    openai.reset();
    gemini.reset();
  });
  afterAll(async () => {
    await openai.close();
    await gemini.close();
  });

  it('When an OpenAI stream is read raw, then it is role chunk, deltas, finish chunk and [DONE], LF-framed', async () => {
    const body = await (await fetch(`${openai.baseUrl}/chat/completions`, chat(true))).text();

    const events = body.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const payloads = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)));
    expect(payloads[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(payloads.slice(1, -1).map((p) => p.choices[0].delta.content)).toEqual(['Hello', ' there', ' friend']);
    expect(payloads.at(-1)).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-x' });
    expect(payloads.at(-1).choices[0].finish_reason).toBe('stop');
    expect(openai.completedGenerations).toBe(1);
  });

  it('When OpenAI is asked without stream, then it answers one chat.completion', async () => {
    const answer = await (await fetch(`${openai.baseUrl}/chat/completions`, chat(false))).json();

    expect(answer).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { content: 'Hello there friend' } }],
    });
  });

  it('When a path or key is wrong, then the fake answers like the vendor, and counts only generation requests', async () => {
    const notFound = await fetch(`${openai.baseUrl}/completions`, chat(true));
    const badKey = await fetch(`${openai.baseUrl}/chat/completions`, {
      ...chat(true),
      headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
    });

    expect(notFound.status).toBe(404);
    expect(badKey.status).toBe(401);
    expect(await badKey.json()).toMatchObject({ error: { code: 'invalid_api_key', type: 'invalid_request_error' } });
    expect(openai.requestCount).toBe(1);
    expect(openai.completedGenerations).toBe(0);
  });

  it('When a generation is slow, then it stays in flight until its last token, then counts as completed', async () => {
    openai.setBehaviour({ kind: 'respond', text: 'a b c d', tokenDelayMs: 50 });

    const reading = fetch(`${openai.baseUrl}/chat/completions`, chat(true)).then((r) => r.text());
    await waitFor(() => openai.inFlight === 1, { message: 'the generation did not start' });
    await reading;

    await waitFor(() => openai.inFlight === 0 && openai.completedGenerations === 1, { message: 'not completed' });
  });

  it('When a generation is held until a promise, then it streams all but its last token and ends once released', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    openai.enqueue({ kind: 'respond', text: 'a b c', until: released });

    const response = await fetch(`${openai.baseUrl}/chat/completions`, chat(true));
    const reader = response.body!.getReader();
    let text = '';
    const reading = (async () => {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
        text += Buffer.from(chunk.value).toString();
    })();
    await waitFor(() => text.includes('" b"'), { message: 'the first tokens did not arrive' });
    // Nothing more comes while held: the body read above is still open and the fake still counts it in flight.
    expect(openai.inFlight).toBe(1);
    expect(text).not.toContain('" c"');
    expect(openai.completedGenerations).toBe(0);

    release();
    await reading;
    expect(text).toContain('" c"');
    expect(text).toContain('data: [DONE]');
    await waitFor(() => openai.inFlight === 0 && openai.completedGenerations === 1, { message: 'not completed' });
  });

  it('When queued behaviours run out, then the default applies again', async () => {
    openai.enqueue({ kind: 'error', status: 500 }, { kind: 'error', status: 429, retryAfter: 3 });

    const first = await fetch(`${openai.baseUrl}/chat/completions`, chat(true));
    const second = await fetch(`${openai.baseUrl}/chat/completions`, chat(true));
    const third = await fetch(`${openai.baseUrl}/chat/completions`, chat(true));

    expect([first.status, second.status, third.status]).toEqual([500, 429, 200]);
    expect(second.headers.get('retry-after')).toBe('3');
    await third.text();
  });

  it('When Gemini streams with alt=sse, then events are CRLF-framed GenerateContentResponses, the last with finishReason', async () => {
    const response = await fetch(`${gemini.baseUrl}/models/gemini-x:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'AIza-fake' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hola' }] }] }),
    });
    const body = await response.text();

    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = body.split('\r\n\r\n').filter(Boolean);
    const payloads = events.map((e) => JSON.parse(e.slice('data: '.length)));
    expect(payloads.map((p) => p.candidates[0].content.parts[0].text)).toEqual(['Hola', ' amigo']);
    expect(payloads.map((p) => p.candidates[0].finishReason)).toEqual([undefined, 'STOP']);
    expect(payloads[1]).toMatchObject({ modelVersion: 'gemini-x', usageMetadata: { candidatesTokenCount: 2 } });
  });

  it('When Gemini streams without alt=sse, then the answer is one JSON array of responses', async () => {
    const response = await fetch(`${gemini.baseUrl}/models/gemini-x:streamGenerateContent?key=AIza-fake`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'hola' }] }] }),
    });

    const array = (await response.json()) as unknown[];
    expect(array).toHaveLength(2);
  });

  it('When Gemini gets no key or a wrong one, then it answers 403 and 400 with Google’s error shape', async () => {
    const ask = (headers: Record<string, string>) =>
      fetch(`${gemini.baseUrl}/models/gemini-x:streamGenerateContent?alt=sse`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ contents: [{ parts: [{ text: 'hola' }] }] }),
      });

    const missing = await ask({});
    const wrong = await ask({ 'x-goog-api-key': 'AIza-wrong' });

    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
  });

  it('When reset() runs while a response hangs, then the hung response is cut and the counters start from zero', async () => {
    openai.setBehaviour({ kind: 'stall', afterChunks: 1 });
    const hanging = fetch(`${openai.baseUrl}/chat/completions`, chat(true)).then((r) => r.text());
    await waitFor(() => openai.inFlight === 1, { message: 'the stall did not start' });

    openai.reset();

    await expect(hanging).rejects.toThrow();
    expect([openai.inFlight, openai.requestCount, openai.abortedGenerations]).toEqual([0, 0, 0]);
  });
});
