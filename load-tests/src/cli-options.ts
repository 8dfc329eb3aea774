import path from 'node:path';
import { parseArgs } from 'node:util';
import type { LoadMode } from './load-result';
import type { Thresholds } from './scenario';

export interface CliOptions {
  help: boolean;
  list: boolean;
  scenario?: string;
  mode: LoadMode;
  rate?: number;
  durationS?: number;
  connections?: number;
  baseUrl?: string;
  outDir: string;
  thresholds: Thresholds;
}

export const USAGE = `Usage: node load-tests/dist/run.js --scenario <name|path> [options]

  --scenario <name|path>   scenario name (file in load-tests/scenarios) or path to a scenario .js file
  --mode rate|saturation   fixed arrival rate (default) or as fast as --connections allow
  --rate N                 iterations per second in rate mode (default: the scenario's arrival.rate)
  --duration S             seconds (default: the scenario's arrival.duration)
  --connections N          concurrent connections (default: 10 in rate mode, 100 in saturation mode)
  --base-url URL           target (default: the scenario's baseUrl)
  --out DIR                where JSON and Markdown go (default: load-tests/results)
  --p95-ms N, --p99-ms N, --error-rate F   override one threshold of the scenario
  --list                   list the scenarios
  --help                   this text

Exit status: 0 when every threshold passes, 1 when one fails, 2 on a usage or setup error.`;

export const DEFAULT_OUT_DIR = path.resolve(__dirname, '..', 'results');

export class UsageError extends Error {}

function number(flag: string, raw: string | undefined, problems: string[], min = 0): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    problems.push(`--${flag} must be a number >= ${min}, got ${raw}`);
    return undefined;
  }
  return value;
}

/** Parses and checks every flag, reporting all bad ones together. */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        list: { type: 'boolean', default: false },
        scenario: { type: 'string', short: 's' },
        mode: { type: 'string', default: 'rate' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        connections: { type: 'string' },
        'base-url': { type: 'string' },
        out: { type: 'string' },
        'p95-ms': { type: 'string' },
        'p99-ms': { type: 'string' },
        'error-rate': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error: unknown) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }

  const problems: string[] = [];
  if (values.mode !== 'rate' && values.mode !== 'saturation') problems.push(`--mode must be rate or saturation`);
  if (!values.help && !values.list && !values.scenario) problems.push('--scenario is required');
  const baseUrl = values['base-url'];
  if (baseUrl !== undefined && !URL.canParse(baseUrl)) problems.push(`--base-url is not a URL: ${baseUrl}`);
  const thresholds: Thresholds = {};
  const p95Ms = number('p95-ms', values['p95-ms'], problems);
  const p99Ms = number('p99-ms', values['p99-ms'], problems);
  const errorRate = number('error-rate', values['error-rate'], problems);
  if (p95Ms !== undefined) thresholds.p95Ms = p95Ms;
  if (p99Ms !== undefined) thresholds.p99Ms = p99Ms;
  if (errorRate !== undefined) thresholds.errorRate = errorRate;
  const options: CliOptions = {
    help: values.help,
    list: values.list,
    mode: values.mode === 'saturation' ? 'saturation' : 'rate',
    outDir: path.resolve(values.out ?? DEFAULT_OUT_DIR),
    thresholds,
  };
  if (values.scenario !== undefined) options.scenario = values.scenario;
  const rate = number('rate', values.rate, problems, 1);
  const durationS = number('duration', values.duration, problems, 0.1);
  const connections = number('connections', values.connections, problems, 1);
  if (rate !== undefined) options.rate = rate;
  if (durationS !== undefined) options.durationS = durationS;
  if (connections !== undefined) {
    if (!Number.isInteger(connections)) problems.push('--connections must be an integer');
    options.connections = connections;
  }
  if (baseUrl !== undefined) options.baseUrl = baseUrl;
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return options;
}
