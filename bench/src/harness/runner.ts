import { timeFunction } from './function-timer';
import type { GeneratorRequest, LoadGenerator } from './generator';
import type { Pinning } from './pinning';
import { processCpuSeconds, systemBusySeconds } from './proc-cpu';
import { startServer } from './server-process';
import { spread } from './stats';
import type { BenchOptions, Comparison, ContenderResult, FunctionContender, HttpContender, RunSample } from './types';

/** At or above this share of its core the generator, not the server, limits throughput. */
export const GENERATOR_BOUND_CPU = 0.9;
const DEFAULT_FUNCTION_CONCURRENCY = 1;

export interface RunnerDeps {
  generator: LoadGenerator;
  pinning: Pinning;
  log: (line: string) => void;
}

function perSecond(before: number | null, after: number | null, durationS: number): number | null {
  return before !== null && after !== null && durationS > 0 ? (after - before) / durationS : null;
}

async function measureHttp(contender: HttpContender, options: BenchOptions, deps: RunnerDeps): Promise<RunSample[]> {
  const server = await startServer(contender, deps.pinning);
  try {
    const request = (durationS: number): GeneratorRequest => ({
      baseUrl: server.baseUrl,
      method: contender.method ?? 'GET',
      path: contender.path,
      mode: options.mode,
      connections: options.connections,
      durationS,
      ...(options.rate !== undefined ? { rate: options.rate } : {}),
      ...(contender.headers ? { headers: contender.headers } : {}),
      ...(contender.body !== undefined ? { body: contender.body } : {}),
    });
    if (options.warmupS > 0) await deps.generator.run(request(options.warmupS));
    const samples: RunSample[] = [];
    for (let run = 1; run <= options.runs; run++) {
      const serverBefore = processCpuSeconds(server.pid);
      const busyBefore = systemBusySeconds();
      const { load, cpu } = await deps.generator.run(request(options.durationS));
      const serverCpu = perSecond(serverBefore, processCpuSeconds(server.pid), load.durationS);
      const busy = perSecond(busyBefore, systemBusySeconds(), load.durationS);
      const otherCpu = busy !== null && serverCpu !== null ? Math.max(0, busy - serverCpu - cpu) : null;
      const sample: RunSample = {
        requestsPerSecond: load.requests.perSecond,
        completed: load.requests.completed,
        p50Ms: load.latencyMs.p50,
        p95Ms: load.latencyMs.p95,
        p99Ms: load.latencyMs.p99,
        maxMs: load.latencyMs.max,
        errors: load.errors.transport + load.errors.unexpectedStatus,
        generatorCpu: cpu,
        serverCpu,
        otherCpu,
        generatorBound: cpu >= GENERATOR_BOUND_CPU,
      };
      deps.log(
        `  ${contender.name} run ${run}/${options.runs}: ${Math.round(sample.requestsPerSecond)} req/s, ` +
          `p99 ${sample.p99Ms.toFixed(2)} ms, generator CPU ${Math.round(cpu * 100)}%`,
      );
      samples.push(sample);
    }
    return samples;
  } finally {
    await server.stop();
  }
}

async function measureFunction(
  contender: FunctionContender,
  options: BenchOptions,
  deps: RunnerDeps,
): Promise<RunSample[]> {
  const prepared = await contender.prepare();
  const concurrency = contender.concurrency ?? DEFAULT_FUNCTION_CONCURRENCY;
  try {
    if (options.warmupS > 0) await timeFunction(prepared, { durationS: options.warmupS, concurrency });
    const samples: RunSample[] = [];
    for (let run = 1; run <= options.runs; run++) {
      const sample = await timeFunction(prepared, { durationS: options.durationS, concurrency });
      deps.log(`  ${contender.name} run ${run}/${options.runs}: ${Math.round(sample.requestsPerSecond)} calls/s`);
      samples.push(sample);
    }
    return samples;
  } finally {
    await prepared.dispose?.();
  }
}

function summarise(base: Omit<ContenderResult, 'generatorBoundRuns'>, samples: RunSample[]): ContenderResult {
  return {
    ...base,
    samples,
    requestsPerSecond: spread(samples.map((sample) => sample.requestsPerSecond)),
    p50Ms: spread(samples.map((sample) => sample.p50Ms)),
    p95Ms: spread(samples.map((sample) => sample.p95Ms)),
    p99Ms: spread(samples.map((sample) => sample.p99Ms)),
    generatorBoundRuns: samples.filter((sample) => sample.generatorBound).length,
  };
}

/**
 * Measures every contender in turn: start, warm up, `runs` measured runs, stop. One at a time so an idle
 * contender's timers or pools never share the server core with the one being measured. A contender that cannot
 * start or fails is reported as skipped with the reason; the others still run.
 */
export async function runContenders(
  comparison: Comparison,
  options: BenchOptions,
  deps: RunnerDeps,
): Promise<ContenderResult[]> {
  const results: ContenderResult[] = [];
  for (const contender of comparison.contenders) {
    const base = { name: contender.name, label: contender.label, kind: contender.kind, samples: [] };
    if (contender.skipReason) {
      deps.log(`${contender.name}: skipped (${contender.skipReason})`);
      results.push({ ...base, status: 'skipped', skipReason: contender.skipReason, generatorBoundRuns: 0 });
      continue;
    }
    deps.log(`${contender.name}: ${contender.label}`);
    try {
      const samples =
        contender.kind === 'http'
          ? await measureHttp(contender, options, deps)
          : await measureFunction(contender, options, deps);
      results.push(summarise({ ...base, status: 'measured' }, samples));
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      deps.log(`${contender.name}: skipped (${reason})`);
      results.push({ ...base, status: 'skipped', skipReason: reason, generatorBoundRuns: 0 });
    }
  }
  const reference = results.find((result) => result.name === comparison.reference);
  const referenceRate = reference?.requestsPerSecond?.median;
  if (referenceRate !== undefined && referenceRate > 0) {
    for (const result of results) {
      if (result.requestsPerSecond) result.ratioToReference = result.requestsPerSecond.median / referenceRate;
    }
  }
  return results;
}
