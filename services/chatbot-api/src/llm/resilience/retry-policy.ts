import { LlmError } from '../llm-errors';

export interface RetryPolicyOptions {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected for tests of the jitter; `Math.random` otherwise. */
  random?: () => number;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; why: string };

/**
 * Q4.4: whether and when to try a failed vendor call again. Only failures that another attempt can fix
 * are retried (connection errors, a stream cut before any token, 408/429/5xx); a 400/401/403/404/422
 * is the same on every attempt and falls back at once. Delays are exponential with full jitter
 * (`random(0, min(cap, base·2^n))`), so workers that failed together do not retry together; a 429's
 * `Retry-After` is honoured as given, and one longer than the cap is not waited for at all.
 */
export class RetryPolicy {
  private readonly random: () => number;

  constructor(private readonly options: RetryPolicyOptions) {
    this.random = options.random ?? Math.random;
  }

  /** `retriesDone` counts retries already made (0 after the first attempt failed). */
  decide(error: unknown, retriesDone: number): RetryDecision {
    if (!(error instanceof LlmError)) return { retry: false, why: 'not a vendor error' };
    if (!error.retryable) return { retry: false, why: `${error.kind}${error.status ? ` ${error.status}` : ''}` };
    if (retriesDone >= this.options.maxRetries) return { retry: false, why: 'retries exhausted' };
    if (error.retryAfterMs !== undefined) {
      if (error.retryAfterMs > this.options.maxDelayMs) {
        return {
          retry: false,
          why: `Retry-After ${error.retryAfterMs} ms exceeds the ${this.options.maxDelayMs} ms cap`,
        };
      }
      return { retry: true, delayMs: error.retryAfterMs };
    }
    return { retry: true, delayMs: this.backoff(retriesDone) };
  }

  backoff(retriesDone: number): number {
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** retriesDone);
    return Math.floor(this.random() * ceiling);
  }
}

/** Waits `ms`, or rejects as soon as `signal` aborts (a cancelled job does not sit out its backoff). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
