import type { LoadMode } from '@casebook/load-tests';

/** How to start an HTTP server contender. PORT and HOST are added to `env`; the process inherits the rest. */
export interface ServerCommand {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

/** A server started in its own process (pinned to the server core) and loaded by the generator process. */
export interface HttpContender {
  kind: 'http';
  /** Short id used in the table and for ratios, e.g. `B2`. */
  name: string;
  label: string;
  /** When set the contender is reported as skipped with this reason and never started. */
  skipReason?: string;
  server: ServerCommand;
  /** Polled until it answers 2xx; a process that exits first is skipped with its output as the reason. */
  readyPath: string;
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  startTimeoutMs?: number;
}

/** The operation a function contender times, with its state already prepared. */
export interface PreparedFunction {
  call: () => Promise<void>;
  dispose?: () => Promise<void>;
}

/**
 * An async function timed in the harness process, e.g. a rate-limiter check or a cache lookup: `concurrency`
 * loops call it back to back for the duration. `prepare` holds the setup (connect, seed) so it is not timed.
 */
export interface FunctionContender {
  kind: 'function';
  name: string;
  label: string;
  skipReason?: string;
  prepare: () => Promise<PreparedFunction>;
  concurrency?: number;
}

export type Contender = HttpContender | FunctionContender;

export interface Comparison {
  name: string;
  title: string;
  description: string;
  /** Contender whose median throughput is the denominator of the ratio column. */
  reference: string;
  contenders: Contender[];
}

export interface BenchOptions {
  /** Seconds per measured run. */
  durationS: number;
  runs: number;
  /** Seconds of unmeasured load before the first run of each contender (JIT, pools, caches). */
  warmupS: number;
  /** Concurrent connections for HTTP contenders. */
  connections: number;
  mode: LoadMode;
  /** Requests per second when `mode` is rate. */
  rate?: number;
  /** Pin server and generator to different cores with taskset when possible. */
  pin: boolean;
}

/** One measured run. */
export interface RunSample {
  requestsPerSecond: number;
  completed: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  /** Share of one core used by the load generator during the run; null for function contenders. */
  generatorCpu: number | null;
  /** Share of one core used by the server process during the run; null when it cannot be read. */
  serverCpu: number | null;
  /** Cores' worth of CPU used by everything else on the machine during the run (noise); null when unknown. */
  otherCpu: number | null;
  generatorBound: boolean;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** `(max - min) / median`, the width of the range relative to the median. */
  relative: number;
}

export interface ContenderResult {
  name: string;
  label: string;
  kind: Contender['kind'];
  status: 'measured' | 'skipped';
  skipReason?: string;
  samples: RunSample[];
  requestsPerSecond?: Spread;
  p50Ms?: Spread;
  p95Ms?: Spread;
  p99Ms?: Spread;
  /** Median throughput divided by the reference's median throughput. */
  ratioToReference?: number;
  generatorBoundRuns: number;
}

export interface Environment {
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  /** How server and generator were kept apart. */
  pinning: string;
  loadAverage: number[];
}

export interface ComparisonResult {
  comparison: string;
  title: string;
  description: string;
  reference: string;
  command: string;
  startedAt: string;
  options: BenchOptions;
  environment: Environment;
  contenders: ContenderResult[];
}
