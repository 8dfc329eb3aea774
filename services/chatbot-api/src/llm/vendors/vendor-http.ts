import { LlmError, parseRetryAfter } from '../llm-errors';
import { type SseEvent, SseParser } from './sse-parser';

export interface SseRequest {
  /** For error messages: "openai", "gemini". */
  vendor: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** Q4.4: no byte for this long, before the headers or between chunks, aborts the request. */
  stallTimeoutMs: number;
  signal?: AbortSignal;
}

const MAX_ERROR_BODY = 2_000;

/**
 * POSTs JSON and yields the server-sent events of the answer. A watchdog aborts the request when the
 * vendor goes quiet (a hung connection otherwise holds a worker slot until the OS gives up, minutes
 * later); HTTP errors become {@link LlmError}s carrying the status and `Retry-After`. Stopping the
 * iteration early aborts the request, so an abandoned generation frees its socket at once.
 */
export async function* postForEvents(request: SseRequest): AsyncGenerator<SseEvent> {
  const watchdog = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, watchdog.signal]) : watchdog.signal;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        watchdog.abort(
          new LlmError('stalled', `${request.vendor} sent nothing for ${request.stallTimeoutMs} ms; request aborted`),
        ),
      request.stallTimeoutMs,
    );
  };
  const failure = (error: unknown) => toLlmError(error, request.vendor, request.signal, watchdog.signal);

  arm();
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...request.headers },
      body: JSON.stringify(request.body),
      signal,
    });
    arm();
    if (!response.ok) {
      const text = (await response.text()).slice(0, MAX_ERROR_BODY);
      throw new LlmError('http', `${request.vendor} answered ${response.status}: ${vendorMessage(text)}`, {
        status: response.status,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      });
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('text/event-stream') || !response.body) {
      throw new LlmError('protocol', `${request.vendor} answered '${type || 'no content type'}', not an event stream`);
    }
    const parser = new SseParser();
    for await (const bytes of response.body) {
      // The clock stops while the consumer handles the events: a slow reader is not a stalled vendor.
      clearTimeout(timer);
      for (const event of parser.feed(bytes)) yield event;
      arm();
    }
    clearTimeout(timer);
    for (const event of parser.end()) yield event;
  } catch (error) {
    throw failure(error);
  } finally {
    clearTimeout(timer);
    // Releases the connection when the consumer stopped early; a no-op after a complete read.
    watchdog.abort(new LlmError('cancelled', 'stream closed by its consumer'));
  }
}

function toLlmError(error: unknown, vendor: string, caller: AbortSignal | undefined, watchdog: AbortSignal): LlmError {
  if (caller?.aborted) {
    return error instanceof LlmError && error.kind === 'cancelled'
      ? error
      : new LlmError('cancelled', `${vendor} request cancelled by the caller`, { cause: caller.reason });
  }
  if (error instanceof LlmError) return error;
  if (watchdog.aborted && watchdog.reason instanceof LlmError) return watchdog.reason;
  // undici: "fetch failed" (refused, reset, DNS) with the socket error as cause; "terminated" when the
  // connection closes mid-body.
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new LlmError('network', `${vendor} connection failed: ${detail}`, { cause: error });
}

/** The vendor's own error message (`{error:{message}}` for OpenAI and Gemini alike), never headers. */
function vendorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const message =
      typeof parsed.error === 'string'
        ? parsed.error
        : typeof parsed.error?.message === 'string'
          ? parsed.error.message
          : typeof parsed.message === 'string'
            ? parsed.message
            : undefined;
    if (message) return message.slice(0, 300);
  } catch {
    // not JSON: fall through
  }
  return body.trim().slice(0, 300) || '(empty body)';
}

/** Parses an event's JSON payload, or fails as a protocol error naming the vendor. */
export function parseJson<T>(vendor: string, data: string): T {
  try {
    return JSON.parse(data) as T;
  } catch (error) {
    throw new LlmError('protocol', `${vendor} sent an event that is not JSON: ${data.slice(0, 100)}`, { cause: error });
  }
}
