import { breakerRejection, type CallBreaker, callBreaker, type Logger, type Metrics } from '@casebook/platform';
import { LlmError } from '../llm-errors';
import type { FallbackReason, LlmChunk, LlmProvider, LlmRequest } from '../llm.types';
import { Channel } from './channel';
import { BREAKER_STATE, type LlmMetrics, llmMetrics } from './llm-metrics';
import { RetryPolicy, sleep } from './retry-policy';

export interface ResilienceOptions {
  /** Budget of one attempt (the whole streamed generation); the breaker's `timeout`. */
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  breaker: {
    errorThresholdPercentage: number;
    volumeThreshold: number;
    resetTimeoutMs: number;
    rollingWindowMs: number;
  };
  /** For deterministic jitter in tests. */
  random?: () => number;
}

export interface ResilienceDeps {
  metrics: Metrics;
  logger: Logger;
}

type Run = () => Promise<void>;

function reasonOf(error: unknown): FallbackReason {
  const code = breakerRejection(error);
  if (code === 'EOPENBREAKER') return 'breaker_open';
  if (code === 'ETIMEDOUT') return 'timeout';
  return error instanceof LlmError ? error.fallbackReason : 'vendor_error';
}

/**
 * Q4.4: a vendor behind a circuit breaker, retries and a fallback, composed outside-in as
 * fallback → retry → breaker → (timeout + stall watchdog) → vendor.
 *
 * - Each attempt is one breaker call that lasts the whole streamed generation, so a stream that stalls or
 *   dies half-way counts as a failure, and the breaker's `timeout` bounds the generation.
 * - Retries wrap the breaker: every attempt is counted, and once the breaker opens the loop stops at
 *   once instead of hammering a vendor that is down.
 * - No retry once a token has reached the caller: tokens have gone through the outbound gate and out on
 *   SSE, a new generation would not continue the old one (sampling differs, the APIs cannot resume), and
 *   a second generation is a second bill. The caller gets a `reset` and the template answer instead.
 * - The fallback is the template answer, marked `fallback: true` with its reason, so the user always
 *   gets the numbers and the reply says it was not phrased by the model.
 */
export class ResilientLlmProvider implements LlmProvider {
  readonly name: LlmProvider['name'];
  readonly model: string;
  readonly breaker: CallBreaker<[Run], void>;
  private readonly retryPolicy: RetryPolicy;
  private readonly metrics: LlmMetrics;
  private readonly logger: Logger;

  constructor(
    private readonly primary: LlmProvider,
    private readonly fallback: LlmProvider,
    options: ResilienceOptions,
    deps: ResilienceDeps,
  ) {
    this.name = primary.name;
    this.model = primary.model;
    this.logger = deps.logger.child({ component: 'llm', provider: primary.name, model: primary.model });
    this.metrics = llmMetrics(deps.metrics);
    this.retryPolicy = new RetryPolicy({
      maxRetries: options.maxRetries,
      baseDelayMs: options.retryBaseMs,
      maxDelayMs: options.retryMaxMs,
      random: options.random,
    });
    this.breaker = callBreaker<[Run], void>((run) => run(), {
      name: `llm-${primary.name}`,
      timeoutMs: options.timeoutMs,
      errorThresholdPercentage: options.breaker.errorThresholdPercentage,
      volumeThreshold: options.breaker.volumeThreshold,
      resetTimeoutMs: options.breaker.resetTimeoutMs,
      rollingWindowMs: options.breaker.rollingWindowMs,
      // A bad request (400/422), a refused prompt or a caller's cancel says nothing about the vendor's health.
      isAnswer: (error: unknown) => error instanceof LlmError && !error.vendorFault,
    });
    this.observeBreaker();
  }

  private observeBreaker(): void {
    const provider = this.name;
    const state = (value: number) => this.metrics.breakerState.set({ provider }, value);
    state(BREAKER_STATE.closed);
    this.breaker.on('open', () => {
      state(BREAKER_STATE.open);
      const { failures, fires, timeouts } = this.breaker.stats;
      this.logger.warn(
        { breaker: 'open', failures, timeouts, calls: fires },
        'LLM breaker opened; answers fall back to the template',
      );
    });
    this.breaker.on('halfOpen', () => {
      state(BREAKER_STATE.half_open);
      this.logger.info({ breaker: 'half_open' }, 'LLM breaker half-open; the next call is a trial');
    });
    this.breaker.on('close', () => {
      state(BREAKER_STATE.closed);
      this.logger.info({ breaker: 'closed' }, 'LLM breaker closed; the vendor answers again');
    });
    // opossum reports a filtered error as a success (it says nothing about the vendor's health); the
    // metric keeps them apart.
    this.breaker.on('success', (result: unknown) =>
      this.metrics.calls.inc({
        provider,
        outcome: result instanceof LlmError ? (result.kind === 'cancelled' ? 'cancelled' : 'refused') : 'success',
      }),
    );
    this.breaker.on('failure', (error: unknown) =>
      this.metrics.calls.inc({ provider, outcome: breakerRejection(error) === 'ETIMEDOUT' ? 'timeout' : 'failure' }),
    );
    this.breaker.on('reject', () => this.metrics.calls.inc({ provider, outcome: 'rejected' }));
  }

  async *generate(request: LlmRequest): AsyncGenerator<LlmChunk> {
    request.signal?.throwIfAborted();
    for (let retries = 0; ; retries += 1) {
      let delivered = false;
      let failure: unknown;
      const attempt = new AbortController();
      const signal = request.signal ? AbortSignal.any([request.signal, attempt.signal]) : attempt.signal;
      const chunks = new Channel<LlmChunk>();
      const started = performance.now();
      this.breaker
        .fire(async () => {
          for await (const chunk of this.primary.generate({ ...request, signal })) chunks.push(chunk);
        })
        .then(
          () => chunks.end(),
          (error: unknown) => {
            // On the breaker's timeout the vendor call is still running: stop it.
            attempt.abort(error);
            chunks.fail(error);
          },
        );
      try {
        let done: LlmChunk | undefined;
        for await (const chunk of chunks) {
          // The final chunk waits for the breaker to record the call, so a caller that reads `done`
          // sees the breaker state this call produced (a half-open trial has closed it).
          if (chunk.type === 'done') {
            done = chunk;
            continue;
          }
          if (chunk.type === 'token' && !delivered) {
            delivered = true;
            this.metrics.firstToken.observe({ provider: this.name }, (performance.now() - started) / 1_000);
          }
          yield chunk;
        }
        if (done) {
          yield done;
          return;
        }
        failure = new LlmError('protocol', `${this.name} ended its stream without a final chunk`);
      } catch (error) {
        failure = error;
      } finally {
        // Also runs when the caller stops reading: the vendor request is aborted, not left streaming.
        attempt.abort(new LlmError('cancelled', 'generation finished or abandoned by its reader'));
      }

      if (request.signal?.aborted) throw request.signal.reason ?? failure;
      const reason = reasonOf(failure);
      const message = failure instanceof Error ? failure.message : String(failure);
      if (delivered) {
        this.logger.warn({ reason, err: message }, 'LLM stream failed after tokens were sent; replacing the answer');
        yield { type: 'reset', reason };
        yield* this.fallbackAnswer(request, reason);
        return;
      }
      const decision = this.breaker.opened
        ? ({ retry: false, why: 'breaker open' } as const)
        : this.retryPolicy.decide(failure, retries);
      if (decision.retry) {
        this.metrics.retries.inc({ provider: this.name, reason });
        this.logger.info({ reason, err: message, retry: retries + 1, delayMs: decision.delayMs }, 'LLM call retried');
        await sleep(decision.delayMs, request.signal);
        continue;
      }
      this.logger.warn({ reason, err: message, why: decision.why }, 'LLM call failed; answering with the template');
      yield* this.fallbackAnswer(request, reason);
      return;
    }
  }

  private async *fallbackAnswer(request: LlmRequest, reason: FallbackReason): AsyncGenerator<LlmChunk> {
    this.metrics.fallbacks.inc({ provider: this.name, reason });
    for await (const chunk of this.fallback.generate(request)) {
      yield chunk.type === 'done' ? { ...chunk, fallback: true, fallbackReason: reason } : chunk;
    }
  }

  close(): void {
    if (!this.breaker.isShutdown) this.breaker.shutdown();
  }
}
