import { buildLoadResult } from './test-data';
import { allPassed, evaluateThresholds } from './thresholds';

describe('evaluateThresholds', () => {
  it('When every value is under its limit, then all pass', () => {
    const outcomes = evaluateThresholds(buildLoadResult(), { p95Ms: 25, p99Ms: 50, errorRate: 0 });

    expect(outcomes.map((outcome) => [outcome.name, outcome.passed])).toEqual([
      ['p95Ms', true],
      ['p99Ms', true],
      ['errorRate', true],
    ]);
    expect(allPassed(outcomes)).toBe(true);
  });

  it('When p95 equals its limit, then it fails: latency limits are strict', () => {
    const result = buildLoadResult({ latencyMs: { ...buildLoadResult().latencyMs, p95: 25 } });

    const [p95] = evaluateThresholds(result, { p95Ms: 25 });

    expect(p95).toMatchObject({ name: 'p95Ms', actual: 25, limit: 25, passed: false, condition: 'p95 < 25 ms' });
  });

  it('When the error rate equals its limit, then it passes, and errorRate 0 means no failures allowed', () => {
    const atLimit = buildLoadResult({ errors: { transport: 1, timeouts: 0, unexpectedStatus: 0, rate: 0.01 } });

    expect(evaluateThresholds(atLimit, { errorRate: 0.01 })[0]?.passed).toBe(true);
    expect(evaluateThresholds(atLimit, { errorRate: 0 })[0]?.passed).toBe(false);
  });

  it('When there were no responses, then latency thresholds fail instead of passing vacuously', () => {
    const empty = buildLoadResult({
      requests: { completed: 0, perSecond: 0 },
      latencyMs: { count: 0, min: NaN, mean: NaN, p50: NaN, p90: NaN, p95: NaN, p99: NaN, p999: NaN, max: NaN },
      errors: { transport: 0, timeouts: 0, unexpectedStatus: 0, rate: NaN },
    });

    const outcomes = evaluateThresholds(empty, { p95Ms: 1_000, errorRate: 1 });

    expect(outcomes.every((outcome) => !outcome.passed)).toBe(true);
  });

  it('When a threshold is not set, then it is not evaluated', () => {
    expect(evaluateThresholds(buildLoadResult(), {})).toEqual([]);
    expect(allPassed([])).toBe(true);
  });
});
