import type { FallbackReason } from './llm.types';

export type LlmErrorKind =
  /** The vendor answered with an HTTP error status. */
  | 'http'
  /** Connection refused or reset, socket closed mid-body, DNS: the request may never have reached the vendor. */
  | 'network'
  /** No byte for `LLM_STALL_TIMEOUT_MS`. */
  | 'stalled'
  /** The stream ended without the vendor's end marker. */
  | 'truncated'
  /** The vendor sent something that is not its documented format, or an error object inside the stream. */
  | 'protocol'
  /** The vendor refused the prompt (e.g. Gemini's `promptFeedback.blockReason`). */
  | 'blocked'
  /** The caller aborted (`request.signal`); never the vendor's fault. */
  | 'cancelled';

/**
 * HTTP statuses worth another attempt: the vendor is overloaded or briefly broken. A 4xx other than
 * 408/429 means this request (or our key) is wrong, and sending it again gets the same answer.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/**
 * Statuses that say "this request is bad", not "the vendor is unhealthy"; they do not count towards
 * opening the breaker. 401/403 do count: a revoked key fails every call, and failing fast is right.
 */
export function isRequestFault(status: number): boolean {
  return status === 400 || status === 404 || status === 413 || status === 422;
}

export class LlmError extends Error {
  override readonly name = 'LlmError';
  readonly kind: LlmErrorKind;
  readonly status?: number;
  /** From `Retry-After` (seconds or an HTTP date), in milliseconds. */
  readonly retryAfterMs?: number;

  constructor(
    kind: LlmErrorKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  get retryable(): boolean {
    switch (this.kind) {
      case 'http':
        return this.status !== undefined && isRetryableStatus(this.status);
      case 'network':
      case 'truncated':
        return true;
      // A stalled vendor is overloaded: another attempt doubles its load and the user's wait, while the
      // template answers now. The breaker counts the stall instead.
      case 'stalled':
      case 'protocol':
      case 'blocked':
      case 'cancelled':
        return false;
    }
  }

  /** Whether the breaker should count this as the vendor being unhealthy. */
  get vendorFault(): boolean {
    if (this.kind === 'cancelled' || this.kind === 'blocked') return false;
    return !(this.kind === 'http' && this.status !== undefined && isRequestFault(this.status));
  }

  get fallbackReason(): FallbackReason {
    switch (this.kind) {
      case 'http':
        if (this.status === 429) return 'rate_limited';
        return this.status !== undefined && this.status >= 500 ? 'vendor_error' : 'rejected';
      case 'network':
        return 'network_error';
      case 'stalled':
        return 'stalled';
      case 'truncated':
        return 'interrupted';
      case 'protocol':
        return 'vendor_error';
      case 'blocked':
      case 'cancelled':
        return 'rejected';
    }
  }
}

/** `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
