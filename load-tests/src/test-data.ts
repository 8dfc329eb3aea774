// Builders for test data, each with overrides (STYLE §10). Not part of the package's exports.
import type { LoadResult } from './load-result';
import type { LoadReport } from './report';

export function buildLoadResult(overrides: Partial<LoadResult> = {}): LoadResult {
  return {
    mode: 'rate',
    baseUrl: 'http://127.0.0.1:3000',
    connections: 10,
    targetRate: 200,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationS: 10,
    requests: { completed: 2_000, perSecond: 200 },
    latencyMs: { count: 2_000, min: 0.5, mean: 2, p50: 1.5, p90: 3, p95: 4, p99: 9, p999: 15, max: 20 },
    errors: { transport: 0, timeouts: 0, unexpectedStatus: 0, rate: 0 },
    statusCodes: { '200': 2_000 },
    ...overrides,
  };
}

export function buildReport(overrides: Partial<LoadReport> = {}): LoadReport {
  return {
    scenario: { name: 'health-chatbot-api', description: 'Liveness.', service: 'chatbot-api' },
    command: 'pnpm load-test --scenario health-chatbot-api',
    result: buildLoadResult(),
    thresholds: [],
    passed: true,
    warnings: [],
    ...overrides,
  };
}
