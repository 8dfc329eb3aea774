import { renderComparison } from './render';
import type { ComparisonResult, ContenderResult, RunSample } from './types';

function buildSample(overrides: Partial<RunSample> = {}): RunSample {
  return {
    requestsPerSecond: 10_000,
    completed: 50_000,
    p50Ms: 1,
    p95Ms: 2,
    p99Ms: 3,
    maxMs: 9,
    errors: 0,
    generatorCpu: 0.6,
    serverCpu: 0.99,
    otherCpu: 0.05,
    generatorBound: false,
    ...overrides,
  };
}

function buildContender(overrides: Partial<ContenderResult> = {}): ContenderResult {
  return {
    name: 'B2',
    label: 'Nest + Fastify hello world',
    kind: 'http',
    status: 'measured',
    samples: [buildSample(), buildSample()],
    requestsPerSecond: { median: 10_000, min: 9_000, max: 11_000, relative: 0.2 },
    p50Ms: { median: 1, min: 1, max: 1, relative: 0 },
    p95Ms: { median: 2, min: 2, max: 2, relative: 0 },
    p99Ms: { median: 3, min: 3, max: 3, relative: 0 },
    ratioToReference: 1,
    generatorBoundRuns: 0,
    ...overrides,
  };
}

function buildResult(contenders: ContenderResult[]): ComparisonResult {
  return {
    comparison: 'baseline',
    title: 'Baseline',
    description: 'Hello worlds.',
    reference: 'B2',
    command: 'node bench/dist/cli.js baseline',
    startedAt: '2026-01-01T00:00:00.000Z',
    options: { durationS: 5, runs: 2, warmupS: 2, connections: 100, mode: 'saturation', pin: true },
    environment: {
      node: 'v20.0.0',
      platform: 'linux-x64',
      cpus: 2,
      cpuModel: 'cpu',
      pinning: 'taskset: server on core 0, generator on core 1',
      loadAverage: [0.1, 0.2, 0.3],
    },
    contenders,
  };
}

describe('renderComparison', () => {
  it('When contenders were measured, then each row has median, range, percentiles, ratio and CPU shares', () => {
    const markdown = renderComparison(buildResult([buildContender()]));

    expect(markdown).toContain('- command: `node bench/dist/cli.js baseline`');
    expect(markdown).toContain(
      '| B2 | Nest + Fastify hello world | 10,000 | 9,000–11,000 (±10.0%) | 1.00 | 2.00 | 3.00 | 1.00× B2 | 60% | 99% | 5% |  |',
    );
    // A blank line before the table, or Markdown folds it into the list above.
    expect(markdown).toMatch(/\n\n\| id \| contender \|/);
  });

  it('When the generator saturated its core, then the row says generator-bound with the run count', () => {
    const bound = buildContender({
      name: 'B0',
      samples: [buildSample({ generatorCpu: 0.97, generatorBound: true }), buildSample()],
      generatorBoundRuns: 1,
      ratioToReference: 1.8,
    });

    const markdown = renderComparison(buildResult([bound]));

    expect(markdown).toContain('| 1.80× B2 | 60%–97% |');
    expect(markdown).toContain('generator-bound 1/2');
  });

  it('When a contender was skipped, then its row gives the reason on one line without breaking the table', () => {
    const skipped = buildContender({
      name: 'chatbot-api',
      status: 'skipped',
      skipReason: 'exited (1) before ready; output: a | b\nc',
      samples: [],
      generatorBoundRuns: 0,
    });
    delete skipped.requestsPerSecond;
    delete skipped.ratioToReference;

    const markdown = renderComparison(buildResult([skipped]));

    expect(markdown).toContain('| chatbot-api | Nest + Fastify hello world | – | – |');
    expect(markdown).toContain('skipped: exited (1) before ready; output: a / b c |');
  });

  it('When the server was far from busy under saturation load, then the row says neither side was saturated', () => {
    const idle = buildContender({ samples: [buildSample({ serverCpu: 0.4 }), buildSample()] });

    expect(renderComparison(buildResult([idle]))).toContain('neither side saturated 1/2');
  });
});
