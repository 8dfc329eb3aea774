import type { LoadResult } from './load-result';
import type { Thresholds } from './scenario';

export interface ThresholdOutcome {
  name: keyof Thresholds;
  /** Human-readable condition, e.g. `p95 < 25 ms`. */
  condition: string;
  limit: number;
  /** NaN when there is nothing to measure (no responses). */
  actual: number;
  passed: boolean;
}

/**
 * Latency limits are strict (`p95 < limit`) like the case-study targets and k6's `p(95)<X`; the error rate may
 * equal its limit (`rate<=X`), so `errorRate: 0` means "no failures". A run without responses fails every
 * latency threshold instead of passing vacuously.
 */
export function evaluateThresholds(result: LoadResult, thresholds: Thresholds): ThresholdOutcome[] {
  const outcomes: ThresholdOutcome[] = [];
  const latency = (name: 'p95Ms' | 'p99Ms', label: string, actual: number): void => {
    const limit = thresholds[name];
    if (limit === undefined) return;
    outcomes.push({ name, condition: `${label} < ${limit} ms`, limit, actual, passed: actual < limit });
  };
  latency('p95Ms', 'p95', result.latencyMs.p95);
  latency('p99Ms', 'p99', result.latencyMs.p99);
  if (thresholds.errorRate !== undefined) {
    const limit = thresholds.errorRate;
    const actual = result.errors.rate;
    outcomes.push({ name: 'errorRate', condition: `error rate <= ${limit}`, limit, actual, passed: actual <= limit });
  }
  return outcomes;
}

export function allPassed(outcomes: readonly ThresholdOutcome[]): boolean {
  return outcomes.every((outcome) => outcome.passed);
}
