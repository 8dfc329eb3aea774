import { HdrRecorder } from '@casebook/load-tests';
import type { PreparedFunction, RunSample } from './types';

export interface TimingOptions {
  durationS: number;
  concurrency: number;
}

/**
 * Calls the function from `concurrency` loops back to back for the duration and records each call's latency.
 * A rejected call counts as an error and the loop goes on, like a failed request.
 */
export async function timeFunction(prepared: PreparedFunction, options: TimingOptions): Promise<RunSample> {
  const recorder = new HdrRecorder();
  let errors = 0;
  const start = performance.now();
  const deadline = start + options.durationS * 1_000;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const callStart = performance.now();
      try {
        await prepared.call();
      } catch {
        errors += 1;
      }
      recorder.recordMs(performance.now() - callStart);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  const elapsedS = (performance.now() - start) / 1_000;
  const latency = recorder.summary();
  return {
    requestsPerSecond: recorder.count / elapsedS,
    completed: recorder.count,
    p50Ms: latency.p50,
    p95Ms: latency.p95,
    p99Ms: latency.p99,
    maxMs: latency.max,
    errors,
    generatorCpu: null,
    serverCpu: null,
    otherCpu: null,
    generatorBound: false,
  };
}
