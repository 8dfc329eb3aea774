import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatMs, formatPercent, formatRate, markdownTable, toJson } from './format';
import type { LoadResult } from './load-result';
import type { ThresholdOutcome } from './thresholds';

export interface LoadReport {
  scenario: { name: string; description: string; service: string };
  /** The command line that produced the report, so results can be reproduced. */
  command: string;
  result: LoadResult;
  thresholds: ThresholdOutcome[];
  passed: boolean;
  /** Facts that do not fail the run but change how to read it, e.g. a missed arrival rate. */
  warnings: string[];
}

/** Below this share of the target rate the server (or generator) did not keep up and latencies understate it. */
const RATE_SHORTFALL = 0.95;

export function rateWarnings(result: LoadResult): string[] {
  if (result.targetRate === null || result.targetRate <= 0) return [];
  const achieved = result.requests.perSecond / result.targetRate;
  if (achieved >= RATE_SHORTFALL) return [];
  return [
    `achieved ${formatRate(result.requests.perSecond)} req/s of the ${formatRate(result.targetRate)} req/s target ` +
      `(${formatPercent(achieved, 0)}): the target rate was not carried`,
  ];
}

export function renderMarkdown(report: LoadReport): string {
  const { result } = report;
  const verdict = report.passed ? 'PASS' : 'FAIL';
  const mode = result.mode === 'rate' ? `rate ${formatRate(result.targetRate ?? 0)} req/s` : 'saturation';
  const lines = [
    `## ${report.scenario.name} — ${verdict}`,
    '',
    `${report.scenario.description}`,
    '',
    `- target: ${result.baseUrl} (${report.scenario.service})`,
    `- mode: ${mode}, ${result.connections} connections, ${result.durationS} s, started ${result.startedAt}`,
    `- command: \`${report.command}\``,
    '',
    markdownTable(
      ['requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors', 'non-expected status', 'error rate'],
      [
        [
          String(result.requests.completed),
          formatRate(result.requests.perSecond),
          formatMs(result.latencyMs.p50),
          formatMs(result.latencyMs.p95),
          formatMs(result.latencyMs.p99),
          formatMs(result.latencyMs.max),
          String(result.errors.transport),
          String(result.errors.unexpectedStatus),
          formatPercent(result.errors.rate),
        ],
      ],
    ),
  ];
  if (report.thresholds.length > 0) {
    lines.push(
      '',
      markdownTable(
        ['threshold', 'actual', 'result'],
        report.thresholds.map((outcome) => [
          outcome.condition,
          outcome.name === 'errorRate' ? formatPercent(outcome.actual) : `${formatMs(outcome.actual)} ms`,
          outcome.passed ? 'pass' : 'FAIL',
        ]),
      ),
    );
  }
  if (report.warnings.length > 0) lines.push('', ...report.warnings.map((warning) => `> warning: ${warning}`));
  return `${lines.join('\n')}\n`;
}

export interface WrittenReport {
  json: string;
  markdown: string;
}

export async function writeReport(report: LoadReport, outDir: string): Promise<WrittenReport> {
  await mkdir(outDir, { recursive: true });
  const stamp = report.result.startedAt.replace(/[:.]/g, '-');
  const base = path.join(outDir, `${report.scenario.name}-${report.result.mode}-${stamp}`);
  const written = { json: `${base}.json`, markdown: `${base}.md` };
  await writeFile(written.json, toJson(report));
  await writeFile(written.markdown, renderMarkdown(report));
  return written;
}
