import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatMs, formatPercent, formatRate, markdownTable, toJson } from '@casebook/load-tests';
import type { BenchOptions, ComparisonResult, ContenderResult, Spread } from './types';

function cell(text: string): string {
  return text.replace(/\|/g, '/').replace(/\s*\n\s*/g, ' ');
}

function rangeOf(value: Spread | undefined): string {
  if (!value || !Number.isFinite(value.median)) return '–';
  return `${formatRate(value.min)}–${formatRate(value.max)} (±${formatPercent(value.relative / 2, 1)})`;
}

function cpuRange(values: (number | null)[]): string {
  const measured = values.filter((value): value is number => value !== null);
  if (measured.length === 0) return '–';
  const min = Math.min(...measured);
  const max = Math.max(...measured);
  const pct = (value: number): string => `${Math.round(value * 100)}%`;
  return min === max ? pct(min) : `${pct(min)}–${pct(max)}`;
}

/** Below this share of its core a server under saturation load was held back by something else. */
const UNSATURATED_SERVER_CPU = 0.8;

function notes(result: ContenderResult, mode: BenchOptions['mode']): string {
  if (result.status === 'skipped') return `skipped: ${result.skipReason ?? 'unknown'}`;
  const parts: string[] = [];
  const runs = result.samples.length;
  if (result.generatorBoundRuns > 0) parts.push(`generator-bound ${result.generatorBoundRuns}/${runs}`);
  const idle = result.samples.filter(
    (sample) => !sample.generatorBound && sample.serverCpu !== null && sample.serverCpu < UNSATURATED_SERVER_CPU,
  ).length;
  // Under saturation load one side should be busy; if neither is, other processes or I/O waits held it back.
  if (mode === 'saturation' && result.kind === 'http' && idle > 0) parts.push(`neither side saturated ${idle}/${runs}`);
  const errors = result.samples.reduce((sum, sample) => sum + sample.errors, 0);
  if (errors > 0) parts.push(`${errors} errors`);
  return parts.join('; ');
}

function row(result: ContenderResult, reference: string, mode: BenchOptions['mode']): string[] {
  const measured = result.status === 'measured';
  return [
    result.name,
    result.label,
    measured ? formatRate(result.requestsPerSecond?.median ?? Number.NaN) : '–',
    rangeOf(result.requestsPerSecond),
    formatMs(result.p50Ms?.median ?? Number.NaN),
    formatMs(result.p95Ms?.median ?? Number.NaN),
    formatMs(result.p99Ms?.median ?? Number.NaN),
    result.ratioToReference === undefined ? '–' : `${result.ratioToReference.toFixed(2)}× ${reference}`,
    cpuRange(result.samples.map((sample) => sample.generatorCpu)),
    cpuRange(result.samples.map((sample) => sample.serverCpu)),
    cpuRange(result.samples.map((sample) => sample.otherCpu)),
    notes(result, mode),
  ].map(cell);
}

export function renderComparison(result: ComparisonResult): string {
  const { options, environment } = result;
  const load =
    options.mode === 'rate'
      ? `rate ${options.rate ?? '?'} req/s over ${options.connections} connections`
      : `saturation with ${options.connections} connections`;
  const header = [
    `## ${result.title}`,
    '',
    result.description,
    '',
    `- command: \`${result.command}\``,
    `- ${options.runs} runs × ${options.durationS} s after ${options.warmupS} s warm-up per contender; ${load}`,
    `- ${environment.node} on ${environment.platform}, ${environment.cpus} cores (${environment.cpuModel}); ` +
      `pinning: ${environment.pinning}; load average ${environment.loadAverage.join(' ')}`,
    `- started ${result.startedAt}; latency columns are medians over runs of per-run HDR percentiles`,
    '',
  ];
  const table = markdownTable(
    [
      'id',
      'contender',
      'req/s (median)',
      'req/s min–max',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'ratio',
      'generator CPU',
      'server CPU',
      'other CPU',
      'notes',
    ],
    result.contenders.map((contender) => row(contender, result.reference, options.mode)),
  );
  return `${header.join('\n')}\n${table}\n`;
}

export async function writeComparisonJson(result: ComparisonResult, outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, `${result.comparison}-${result.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, toJson(result));
  return file;
}
