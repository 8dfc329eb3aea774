import Opossum from 'opossum';

/** A breaker around a whole async call (opossum): `fire(...args)`, `opened`/`halfOpen`/`closed`, events. */
export type CallBreaker<A extends unknown[], R> = Opossum<A, R>;

export interface CallBreakerOptions {
  /** Shown in opossum's events and errors. */
  name?: string;
  /** Budget of one call; a slower one fails with code ETIMEDOUT and counts against the breaker. */
  timeoutMs: number;
  /** Share of failed calls in the rolling window that opens the breaker, once `volumeThreshold` calls were made. */
  errorThresholdPercentage: number;
  volumeThreshold: number;
  /** How long it stays open before one trial call is let through. */
  resetTimeoutMs: number;
  rollingWindowMs?: number;
  /**
   * Errors that are an answer rather than a failure of the dependency (a 4xx, a refusal, a cancel): they
   * reach the caller but do not count against the breaker.
   */
  isAnswer?: (error: unknown) => boolean;
}

/**
 * For a remote call measured as a whole (an LLM generation, a query-service request): a rolling error rate
 * opens the breaker, a timer half-opens it (ADR 0014). Hot paths that must decide synchronously (a cache
 * read, a rate-limit decision) use {@link CircuitBreaker} instead.
 */
export function callBreaker<A extends unknown[], R>(
  action: (...args: A) => Promise<R>,
  options: CallBreakerOptions,
): CallBreaker<A, R> {
  return new Opossum<A, R>(action, {
    ...(options.name ? { name: options.name } : {}),
    timeout: options.timeoutMs,
    errorThresholdPercentage: options.errorThresholdPercentage,
    volumeThreshold: options.volumeThreshold,
    resetTimeout: options.resetTimeoutMs,
    ...(options.rollingWindowMs ? { rollingCountTimeout: options.rollingWindowMs, rollingCountBuckets: 10 } : {}),
    enableSnapshots: false,
    ...(options.isAnswer ? { errorFilter: options.isAnswer } : {}),
  });
}

/** The breaker's own rejections: `EOPENBREAKER` (turned away while open) and `ETIMEDOUT` (its timeout). */
export function breakerRejection(error: unknown): 'EOPENBREAKER' | 'ETIMEDOUT' | undefined {
  if (!(error instanceof Error) || !Opossum.isOurError(error)) return undefined;
  const code = (error as { code?: string }).code;
  return code === 'EOPENBREAKER' || code === 'ETIMEDOUT' ? code : undefined;
}
