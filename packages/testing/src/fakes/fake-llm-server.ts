import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake received it, for assertions on what the client sent. */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body (undefined when it was not JSON). */
  body: unknown;
  receivedAt: number;
}

/**
 * What the fake does with the next generation request.
 * - `respond`: streams `text` token by token (`tokenDelayMs` between tokens: a slow vendor), then ends
 *   the way the vendor does. With `until`, the last token and the end wait for that promise to settle: a
 *   generation that lasts as long as the test needs (silent while it waits; keep the client's stall
 *   timeout above the hold).
 * - `stall`: sends the headers and `afterChunks` tokens, then hangs; `beforeHeaders` hangs before sending
 *   anything. It stays hung until the client gives up (or `reset()`/`close()`).
 * - `error`: answers `status` with the vendor's error body; `retryAfter` sets `Retry-After`.
 * - `disconnect`: sends the headers and `afterChunks` tokens, then destroys the socket mid-stream; with
 *   `graceful` it ends the HTTP response properly but without the vendor's end marker (a cut answer that
 *   looks whole on the wire).
 */
export type FakeLlmBehaviour =
  | {
      kind: 'respond';
      text?: string | ((request: RecordedRequest) => string);
      tokenDelayMs?: number;
      headersDelayMs?: number;
      until?: Promise<unknown>;
    }
  | { kind: 'stall'; afterChunks?: number; beforeHeaders?: boolean }
  | { kind: 'error'; status: number; retryAfter?: string | number; message?: string }
  | { kind: 'disconnect'; afterChunks?: number; graceful?: boolean };

export interface FakeLlmServerOptions {
  /** When set, requests without this key are refused the way the vendor refuses them. */
  apiKey?: string;
  /** Text of the default `respond` behaviour. */
  text?: string;
}

export const DEFAULT_FAKE_TEXT = 'This is the fake model answering from the data it was given.';

/** How a vendor's wire format frames a generation; the only part that differs between the fakes. */
export interface GenerationRoute {
  model: string;
  stream: boolean;
}

export interface GenerationState {
  id: string;
  model: string;
  request: RecordedRequest;
  promptTokens: number;
  tokens: string[];
  sent: number;
}

export type RouteResult = { route: GenerationRoute } | { status: number; message: string };

/**
 * A local HTTP server playing an LLM vendor, for tests only (outbound network is blocked in tests).
 * Subclasses speak one vendor's documented wire format; this class holds the behaviours, the counters
 * and the lifecycle. Listens on 127.0.0.1 on an ephemeral port.
 */
export abstract class FakeLlmServer {
  readonly requests: RecordedRequest[] = [];
  /** Generations whose last byte was handed to the OS (the response ended normally). */
  completedGenerations = 0;
  /** Generations the client abandoned before the end (it aborted, timed out or detected a stall). */
  abortedGenerations = 0;
  private defaultBehaviour: FakeLlmBehaviour;
  private queue: FakeLlmBehaviour[] = [];
  private readonly open = new Set<ServerResponse>();
  private readonly cut = new WeakSet<ServerResponse>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly holds = new Set<() => void>();
  private server: Server | undefined;
  private port = 0;

  protected constructor(protected readonly options: FakeLlmServerOptions) {
    this.defaultBehaviour = { kind: 'respond', text: options.text ?? DEFAULT_FAKE_TEXT };
  }

  /** API root as a client takes it (`LLM_BASE_URL`), including the version segment. */
  abstract get baseUrl(): string;

  /** Which generation a request asks for, or the vendor's error for a bad path (404) or body (400). */
  protected abstract route(request: IncomingMessage, url: URL, body: unknown): RouteResult;
  /** Refuses a request without the right key, the way the vendor does; undefined when it may pass. */
  protected abstract refuse(request: IncomingMessage, url: URL): { status: number; message: string } | undefined;
  protected abstract errorBody(status: number, message: string): unknown;
  /** Frames written before the first token (OpenAI's role chunk; nothing for Gemini). */
  protected abstract startFrames(state: GenerationState): string[];
  protected abstract tokenFrame(state: GenerationState, token: string, last: boolean): string;
  protected abstract endFrames(state: GenerationState): string[];
  /** The whole answer for a non-streaming request. */
  protected abstract wholeAnswer(state: GenerationState): { contentType: string; body: string };

  protected get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  protected async listen(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    // Clients keep connections alive; close() must not wait for them.
    server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Requests that reached a generation endpoint (including the ones answered with an error). */
  get requestCount(): number {
    return this.requests.length;
  }

  /** Responses still open: streaming, stalled or slow. */
  get inFlight(): number {
    return this.open.size;
  }

  /** The behaviour of every request that finds no queued one. */
  setBehaviour(behaviour: FakeLlmBehaviour): this {
    this.defaultBehaviour = behaviour;
    return this;
  }

  /** One-shot behaviours, used by the next requests in order before the default applies again. */
  enqueue(...behaviours: FakeLlmBehaviour[]): this {
    this.queue.push(...behaviours);
    return this;
  }

  /** Back to answering normally with zero counters; hung responses are cut. Call between tests. */
  reset(): void {
    this.queue = [];
    this.defaultBehaviour = { kind: 'respond', text: this.options.text ?? DEFAULT_FAKE_TEXT };
    for (const res of this.open) res.destroy();
    this.open.clear();
    this.wakeAll();
    this.requests.length = 0;
    this.completedGenerations = 0;
    this.abortedGenerations = 0;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const res of this.open) res.destroy();
    this.wakeAll();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const routed = this.route(req, url, body);
    if ('status' in routed && routed.status === 404) return this.sendError(res, routed.status, routed.message);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      headers: req.headers,
      body,
      receivedAt: Date.now(),
    };
    this.requests.push(recorded);
    const refused = this.refuse(req, url);
    if (refused) return this.sendError(res, refused.status, refused.message);
    if ('status' in routed) return this.sendError(res, routed.status, routed.message);

    const behaviour = this.queue.shift() ?? this.defaultBehaviour;
    if (behaviour.kind === 'error') {
      const headers: Record<string, string> = {};
      if (behaviour.retryAfter !== undefined) headers['retry-after'] = String(behaviour.retryAfter);
      return this.sendError(res, behaviour.status, behaviour.message ?? defaultMessage(behaviour.status), headers);
    }

    const text =
      behaviour.kind === 'respond'
        ? typeof behaviour.text === 'function'
          ? behaviour.text(recorded)
          : (behaviour.text ?? DEFAULT_FAKE_TEXT)
        : (this.options.text ?? DEFAULT_FAKE_TEXT);
    const state: GenerationState = {
      id: randomBytes(12).toString('hex'),
      model: routed.route.model,
      request: recorded,
      promptTokens: Math.ceil(raw.length / 4),
      tokens: text.match(/\s*\S+/g) ?? [],
      sent: 0,
    };
    this.track(res);

    if (behaviour.kind === 'stall' && behaviour.beforeHeaders) return;
    if (behaviour.kind === 'respond' && behaviour.headersDelayMs) await this.delay(behaviour.headersDelayMs);
    if (res.destroyed) return;
    if (!routed.route.stream) {
      if (behaviour.kind !== 'respond') return void res.destroy();
      const whole = this.wholeAnswer(state);
      res.writeHead(200, { 'content-type': whole.contentType });
      res.end(whole.body);
      return;
    }

    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    for (const frame of this.startFrames(state)) res.write(frame);

    const limit =
      behaviour.kind === 'stall' || behaviour.kind === 'disconnect' ? (behaviour.afterChunks ?? 0) : Infinity;
    const delay = behaviour.kind === 'respond' ? (behaviour.tokenDelayMs ?? 0) : 0;
    const until = behaviour.kind === 'respond' ? behaviour.until : undefined;
    while (state.sent < state.tokens.length && state.sent < limit) {
      if (delay > 0 && state.sent > 0) await this.delay(delay);
      if (until && state.sent === state.tokens.length - 1) await this.hold(until);
      if (res.destroyed) return;
      const token = state.tokens[state.sent]!;
      state.sent += 1;
      res.write(this.tokenFrame(state, token, state.sent === state.tokens.length));
    }
    if (behaviour.kind === 'stall') return;
    if (behaviour.kind === 'disconnect') {
      if (behaviour.graceful) {
        this.cut.add(res);
        res.end();
        return;
      }
      // Give the written chunks a moment to leave, then cut the connection without ending the body.
      await this.delay(20);
      res.destroy();
      return;
    }
    for (const frame of this.endFrames(state)) res.write(frame);
    res.end();
  }

  private track(res: ServerResponse): void {
    this.open.add(res);
    res.on('finish', () => {
      if (!this.cut.has(res)) this.completedGenerations += 1;
    });
    res.on('close', () => {
      if (!this.open.delete(res)) return;
      if (!res.writableFinished) this.abortedGenerations += 1;
    });
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }

  /** Waits for `until` to settle, or for reset()/close(). */
  private hold(until: Promise<unknown>): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.holds.delete(wake);
        resolve();
      };
      this.holds.add(wake);
      until.then(wake, wake);
    });
  }

  /** Ends every pending delay and hold early; the handlers then see their response destroyed and return. */
  private wakeAll(): void {
    for (const [timer, resolve] of this.timers) {
      clearTimeout(timer);
      resolve();
    }
    this.timers.clear();
    for (const wake of [...this.holds]) wake();
  }

  private sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(this.errorBody(status, message)));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function defaultMessage(status: number): string {
  if (status === 429) return 'Rate limit reached for requests. Please try again later.';
  if (status === 401) return 'Incorrect API key provided.';
  if (status >= 500) return 'The server had an error while processing your request.';
  return 'The request was invalid.';
}
