import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rateWarnings, renderMarkdown, writeReport } from './report';
import { buildLoadResult, buildReport } from './test-data';
import { evaluateThresholds } from './thresholds';

describe('renderMarkdown', () => {
  it('When thresholds pass, then the heading says PASS and the table carries the percentiles', () => {
    const result = buildLoadResult();
    const report = buildReport({ result, thresholds: evaluateThresholds(result, { p95Ms: 25 }) });

    const markdown = renderMarkdown(report);

    expect(markdown).toContain('## health-chatbot-api — PASS');
    expect(markdown).toContain('| 2000 | 200 | 1.50 | 4.00 | 9.00 | 20.0 | 0 | 0 | 0.00% |');
    expect(markdown).toContain('| p95 < 25 ms | 4.00 ms | pass |');
    expect(markdown).toContain('`pnpm load-test --scenario health-chatbot-api`');
  });

  it('When a threshold fails, then the heading says FAIL and the row says FAIL', () => {
    const result = buildLoadResult();
    const thresholds = evaluateThresholds(result, { p99Ms: 5 });

    const markdown = renderMarkdown(buildReport({ result, thresholds, passed: false }));

    expect(markdown).toContain('— FAIL');
    expect(markdown).toContain('| p99 < 5 ms | 9.00 ms | FAIL |');
  });
});

describe('rateWarnings', () => {
  it('When less than 95% of the target rate was carried, then it warns', () => {
    const warnings = rateWarnings(
      buildLoadResult({ targetRate: 1_000, requests: { completed: 9_000, perSecond: 900 } }),
    );

    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('achieved 900 req/s of the 1,000 req/s target');
  });

  it('When the target was carried or there is none, then it does not warn', () => {
    expect(rateWarnings(buildLoadResult())).toEqual([]);
    expect(rateWarnings(buildLoadResult({ mode: 'saturation', targetRate: null }))).toEqual([]);
  });
});

describe('writeReport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'load-report-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('When written, then the JSON parses back to the report and NaN becomes null', async () => {
    const result = buildLoadResult({ latencyMs: { ...buildLoadResult().latencyMs, p999: NaN } });
    const report = buildReport({ result });

    const written = await writeReport(report, dir);

    const json = JSON.parse(await readFile(written.json, 'utf8')) as typeof report;
    expect(json.scenario.name).toBe('health-chatbot-api');
    expect(json.result.latencyMs.p95).toBe(4);
    expect(json.result.latencyMs.p999).toBeNull();
    expect(path.basename(written.json)).toBe('health-chatbot-api-rate-2026-01-01T00-00-00-000Z.json');
    expect(await readFile(written.markdown, 'utf8')).toBe(renderMarkdown(report));
  });
});
