import type { IncomingMessage } from 'node:http';
import { FakeLlmServer, type FakeLlmServerOptions, type GenerationState, type RouteResult } from './fake-llm-server';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const PATH = /^\/v1beta\/models\/([^/:]+):(streamGenerateContent|generateContent)$/;

/**
 * Gemini's native REST API: `POST /v1beta/models/{model}:streamGenerateContent?alt=sse` with the key in
 * `x-goog-api-key` (or `?key=`). Each event is a whole `GenerateContentResponse`
 * (`candidates[0].content.parts[].text`, `usageMetadata`, `modelVersion`), events are separated by
 * CRLF CRLF as Google's servers send them, the last one carries `finishReason`, and there is no
 * `[DONE]`. Without `alt=sse` the stream is one JSON array. Errors are `{"error":{code,message,status}}`;
 * a wrong key is a 400 `INVALID_ARGUMENT`, a missing one a 403 `PERMISSION_DENIED`, as Google answers.
 */
export class FakeGeminiServer extends FakeLlmServer {
  static async start(options: FakeLlmServerOptions = {}): Promise<FakeGeminiServer> {
    return new FakeGeminiServer(options).listen();
  }

  get baseUrl(): string {
    return `${this.origin}/v1beta`;
  }

  protected route(request: IncomingMessage, url: URL, body: unknown): RouteResult {
    const match = PATH.exec(url.pathname);
    if (!match || request.method !== 'POST') {
      return { status: 404, message: `The requested URL ${url.pathname} was not found on this server.` };
    }
    const contents = (body as { contents?: unknown } | undefined)?.contents;
    if (!Array.isArray(contents) || contents.length === 0) {
      return { status: 400, message: '* GenerateContentRequest.contents: contents is not specified' };
    }
    const streaming = match[2] === 'streamGenerateContent';
    return {
      route: { model: decodeURIComponent(match[1]!), stream: streaming && url.searchParams.get('alt') === 'sse' },
    };
  }

  protected refuse(request: IncomingMessage, url: URL): { status: number; message: string } | undefined {
    const expected = this.options.apiKey;
    if (expected === undefined) return undefined;
    const header = request.headers['x-goog-api-key'];
    const key = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('key');
    if (!key) {
      return {
        status: 403,
        message: "Method doesn't allow unregistered callers (callers without established identity).",
      };
    }
    if (key !== expected) return { status: 400, message: 'API key not valid. Please pass a valid API key.' };
    return undefined;
  }

  protected errorBody(status: number, message: string): unknown {
    return { error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN' } };
  }

  private response(state: GenerationState, text: string, last: boolean): Record<string, unknown> {
    const candidate: Record<string, unknown> = { content: { parts: [{ text }], role: 'model' }, index: 0 };
    if (last) candidate.finishReason = 'STOP';
    return {
      candidates: [candidate],
      usageMetadata: {
        promptTokenCount: state.promptTokens,
        ...(last ? { candidatesTokenCount: state.tokens.length } : {}),
        totalTokenCount: state.promptTokens + (last ? state.tokens.length : 0),
      },
      modelVersion: state.model,
      responseId: state.id,
    };
  }

  protected startFrames(): string[] {
    return [];
  }

  protected tokenFrame(state: GenerationState, token: string, last: boolean): string {
    return `data: ${JSON.stringify(this.response(state, token, last))}\r\n\r\n`;
  }

  protected endFrames(state: GenerationState): string[] {
    // An empty answer still ends with one chunk carrying the finish reason.
    return state.tokens.length === 0 ? [this.tokenFrame(state, '', true)] : [];
  }

  protected wholeAnswer(state: GenerationState): { contentType: string; body: string } {
    const last = state.tokens.length - 1;
    const responses =
      state.tokens.length === 0
        ? [this.response(state, '', true)]
        : state.tokens.map((token, i) => this.response(state, token, i === last));
    const streaming = state.request.path.includes(':streamGenerateContent');
    const body = streaming
      ? JSON.stringify(responses)
      : JSON.stringify(this.response(state, state.tokens.join(''), true));
    return { contentType: 'application/json; charset=UTF-8', body };
  }
}
