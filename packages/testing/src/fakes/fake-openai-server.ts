import type { IncomingMessage } from 'node:http';
import { FakeLlmServer, type FakeLlmServerOptions, type GenerationState, type RouteResult } from './fake-llm-server';

const ERROR_TYPES: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
};

interface ChatRequestBody {
  model?: unknown;
  messages?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown };
}

/**
 * OpenAI's chat completions (`POST /v1/chat/completions`) as the API documents it: with `stream: true`,
 * `data: {chat.completion.chunk}` events (a role chunk, content deltas, a chunk with `finish_reason`, a
 * usage chunk with empty `choices` when `stream_options.include_usage` is set) and `data: [DONE]`;
 * errors as `{"error":{message,type,param,code}}`. vLLM, Ollama and llama.cpp serve the same format.
 *
 * ```ts
 * const llm = await FakeOpenAiServer.start({ apiKey: 'sk-test' });
 * llm.enqueue({ kind: 'error', status: 429, retryAfter: 1 });  // next request: rate limited
 * // LLM_PROVIDER=openai LLM_BASE_URL=${llm.baseUrl} LLM_API_KEY=sk-test
 * ```
 */
export class FakeOpenAiServer extends FakeLlmServer {
  static async start(options: FakeLlmServerOptions = {}): Promise<FakeOpenAiServer> {
    return new FakeOpenAiServer(options).listen();
  }

  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  protected route(request: IncomingMessage, url: URL, body: unknown): RouteResult {
    if (url.pathname !== '/v1/chat/completions' || request.method !== 'POST') {
      return { status: 404, message: `Invalid URL (${request.method} ${url.pathname})` };
    }
    const chat = body as ChatRequestBody | undefined;
    if (!chat || typeof chat !== 'object') {
      return { status: 400, message: 'We could not parse the JSON body of your request.' };
    }
    if (!Array.isArray(chat.messages) || chat.messages.length === 0) {
      return { status: 400, message: "Missing required parameter: 'messages'." };
    }
    if (typeof chat.model !== 'string') return { status: 400, message: 'you must provide a model parameter' };
    return { route: { model: chat.model, stream: chat.stream === true } };
  }

  protected refuse(request: IncomingMessage): { status: number; message: string } | undefined {
    const key = this.options.apiKey;
    if (key === undefined) return undefined;
    const header = request.headers.authorization;
    if (!header) {
      return { status: 401, message: "You didn't provide an API key. Use the Authorization header (Bearer auth)." };
    }
    if (header !== `Bearer ${key}`) return { status: 401, message: 'Incorrect API key provided.' };
    return undefined;
  }

  protected errorBody(status: number, message: string): unknown {
    const kind = ERROR_TYPES[status] ?? { type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null };
    return { error: { message, type: kind.type, param: null, code: kind.code } };
  }

  private body(state: GenerationState): ChatRequestBody {
    return (state.request.body ?? {}) as ChatRequestBody;
  }

  private chunk(state: GenerationState, choices: unknown[], extra: Record<string, unknown> = {}): string {
    const usage = this.includeUsage(state) ? { usage: null } : {};
    const payload = {
      id: `chatcmpl-${state.id}`,
      object: 'chat.completion.chunk',
      created: Math.floor(state.request.receivedAt / 1000),
      model: state.model,
      system_fingerprint: 'fp_fake',
      choices,
      ...usage,
      ...extra,
    };
    return `data: ${JSON.stringify(payload)}\n\n`;
  }

  private includeUsage(state: GenerationState): boolean {
    return this.body(state).stream_options?.include_usage === true;
  }

  protected startFrames(state: GenerationState): string[] {
    return [
      this.chunk(state, [
        { index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null },
      ]),
    ];
  }

  protected tokenFrame(state: GenerationState, token: string): string {
    return this.chunk(state, [{ index: 0, delta: { content: token }, logprobs: null, finish_reason: null }]);
  }

  protected endFrames(state: GenerationState): string[] {
    const frames = [this.chunk(state, [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }])];
    if (this.includeUsage(state)) {
      const usage = {
        prompt_tokens: state.promptTokens,
        completion_tokens: state.tokens.length,
        total_tokens: state.promptTokens + state.tokens.length,
      };
      frames.push(this.chunk(state, [], { usage }));
    }
    frames.push('data: [DONE]\n\n');
    return frames;
  }

  protected wholeAnswer(state: GenerationState): { contentType: string; body: string } {
    return {
      contentType: 'application/json',
      body: JSON.stringify({
        id: `chatcmpl-${state.id}`,
        object: 'chat.completion',
        created: Math.floor(state.request.receivedAt / 1000),
        model: state.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: state.tokens.join(''), refusal: null },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: {
          prompt_tokens: state.promptTokens,
          completion_tokens: state.tokens.length,
          total_tokens: state.promptTokens + state.tokens.length,
        },
      }),
    };
  }
}
