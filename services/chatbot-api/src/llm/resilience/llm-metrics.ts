import type { Metrics } from '@casebook/platform';
import { type Counter, Gauge, type Histogram } from 'prom-client';

/** Breaker state as a number, so a dashboard can plot it and an alert can fire on `== 2` for a while. */
export const BREAKER_STATE = { closed: 0, half_open: 1, open: 2 } as const;

export interface LlmMetrics {
  breakerState: Gauge<'provider'>;
  calls: Counter<'provider' | 'outcome'>;
  retries: Counter<'provider' | 'reason'>;
  fallbacks: Counter<'provider' | 'reason'>;
  firstToken: Histogram<'provider'>;
}

/** The LLM metrics on the service's registry; several providers (and tests) share them by label. */
export function llmMetrics(metrics: Metrics): LlmMetrics {
  const name = 'llm_breaker_state';
  const breakerState =
    (metrics.registry.getSingleMetric(name) as Gauge<'provider'> | undefined) ??
    new Gauge({
      name,
      help: 'Circuit breaker state of the LLM provider: 0 closed, 1 half-open, 2 open.',
      labelNames: ['provider'],
      registers: [metrics.registry],
    });
  return {
    breakerState,
    calls: metrics.counter(
      'llm_calls_total',
      'LLM vendor calls by outcome: success, failure, timeout, rejected (open breaker), refused (a bad request), cancelled.',
      ['provider', 'outcome'],
    ),
    retries: metrics.counter('llm_retries_total', 'LLM vendor calls retried, by reason.', ['provider', 'reason']),
    fallbacks: metrics.counter('llm_fallbacks_total', 'Answers phrased by the template fallback, by reason.', [
      'provider',
      'reason',
    ]),
    firstToken: metrics.histogram(
      'llm_time_to_first_token_seconds',
      'Time from the start of an LLM vendor call to its first streamed token.',
      ['provider'],
      [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16],
    ),
  };
}
