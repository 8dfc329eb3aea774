import { LlmError, parseRetryAfter } from '../llm-errors';
import { RetryPolicy } from './retry-policy';

const http = (status: number, retryAfterMs?: number) =>
  new LlmError('http', `status ${status}`, { status, retryAfterMs });

describe('RetryPolicy (Q4.4: which vendor failures are retried, and when)', () => {
  const policy = (random = () => 0.5) =>
    new RetryPolicy({ maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000, random });

  it.each([408, 429, 500, 502, 503, 504])('When the vendor answers %i, then the call is retried', (status) => {
    expect(policy().decide(http(status), 0).retry).toBe(true);
  });

  it.each([400, 401, 403, 404, 422, 501])('When the vendor answers %i, then the call is never retried', (status) => {
    expect(policy().decide(http(status), 0)).toEqual({ retry: false, why: `http ${status}` });
  });

  it('When the connection fails or the stream is cut before a token, then the call is retried', () => {
    expect(policy().decide(new LlmError('network', 'ECONNRESET'), 0).retry).toBe(true);
    expect(policy().decide(new LlmError('truncated', 'no [DONE]'), 0).retry).toBe(true);
  });

  it('When the vendor stalled, refused the prompt or the caller cancelled, then the call is not retried', () => {
    for (const kind of ['stalled', 'blocked', 'cancelled', 'protocol'] as const) {
      expect(policy().decide(new LlmError(kind, kind), 0).retry).toBe(false);
    }
  });

  it('When the delays grow, then they are full-jitter exponential: random(0, min(cap, base·2^n))', () => {
    const top = policy(() => 0.999_999);
    expect([0, 1, 2, 3, 4, 5].map((n) => top.backoff(n))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(policy(() => 0).backoff(3)).toBe(0);
    const spread = new Set(
      Array.from({ length: 50 }, () =>
        new RetryPolicy({ maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000 }).backoff(3),
      ),
    );
    expect(spread.size).toBeGreaterThan(10);
  });

  it('When a 429 says Retry-After, then the delay is exactly that; when it exceeds the cap, then it is not waited for', () => {
    expect(policy().decide(http(429, 700), 0)).toEqual({ retry: true, delayMs: 700 });
    expect(policy().decide(http(429, 5_000), 0)).toMatchObject({ retry: false });
  });

  it('When the retries are used up, then the next failure is not retried', () => {
    expect(policy().decide(http(503), 2).retry).toBe(true);
    expect(policy().decide(http(503), 3)).toEqual({ retry: false, why: 'retries exhausted' });
  });

  it('When Retry-After is seconds or an HTTP date, then both parse to milliseconds', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:03 GMT', now)).toBe(3_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
