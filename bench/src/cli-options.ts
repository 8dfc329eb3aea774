import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchOptions } from './harness/types';

export interface BenchCliOptions {
  help: boolean;
  list: boolean;
  comparison?: string;
  bench: BenchOptions;
  /** Contender ids to run (all when empty). */
  only: string[];
  outDir: string;
  /** Run the generator in this process (no pinning); for machines with one core. */
  inProcess: boolean;
}

export const DEFAULT_OUT_DIR = path.resolve(__dirname, '..', 'results');

export const USAGE = `Usage: node bench/dist/cli.js <comparison> [options]

  comparisons: see --list (baseline: B0 node:http, B1 Fastify, B2 Nest+Fastify, service health routes;
               query-zipf: Q19.1 hit ratio of query-service on the real path)
  --duration S        seconds per measured run (default 5)
  --runs N            measured runs per contender (default 3)
  --warmup S          unmeasured seconds before the runs (default 2)
  --connections N     concurrent connections (default 100)
  --mode M            saturation (default) or rate
  --rate N            requests per second in rate mode
  --only A,B          only these contender ids
  --no-pin            do not pin server and generator with taskset
  --in-process        run the generator in the harness process
  --out DIR           where the JSON goes (default bench/results)
  --list              list the comparisons`;

export class UsageError extends Error {}

function numberFlag(name: string, raw: string | undefined, fallback: number, min: number, problems: string[]): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    problems.push(`--${name} must be a number >= ${min}, got ${raw}`);
    return fallback;
  }
  return value;
}

export function parseBenchCli(argv: readonly string[]): BenchCliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        list: { type: 'boolean', default: false },
        duration: { type: 'string' },
        runs: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        mode: { type: 'string', default: 'saturation' },
        rate: { type: 'string' },
        only: { type: 'string' },
        'no-pin': { type: 'boolean', default: false },
        'in-process': { type: 'boolean', default: false },
        out: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error: unknown) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const problems: string[] = [];
  if (positionals.length > 1) problems.push(`one comparison at a time, got ${positionals.join(' ')}`);
  if (values.mode !== 'saturation' && values.mode !== 'rate') problems.push('--mode must be saturation or rate');
  const bench: BenchOptions = {
    durationS: numberFlag('duration', values.duration, 5, 0.1, problems),
    runs: Math.round(numberFlag('runs', values.runs, 3, 1, problems)),
    warmupS: numberFlag('warmup', values.warmup, 2, 0, problems),
    connections: Math.round(numberFlag('connections', values.connections, 100, 1, problems)),
    mode: values.mode === 'rate' ? 'rate' : 'saturation',
    pin: !values['no-pin'] && !values['in-process'],
  };
  if (bench.mode === 'rate') {
    if (values.rate === undefined) problems.push('--mode rate needs --rate');
    else bench.rate = numberFlag('rate', values.rate, 1, 1, problems);
  }
  if (!values.help && !values.list && positionals.length === 0) problems.push('name a comparison');
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  const options: BenchCliOptions = {
    help: values.help,
    list: values.list,
    bench,
    only: values.only
      ? values.only
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean)
      : [],
    outDir: path.resolve(values.out ?? DEFAULT_OUT_DIR),
    inProcess: values['in-process'],
  };
  if (positionals[0] !== undefined) options.comparison = positionals[0];
  return options;
}
