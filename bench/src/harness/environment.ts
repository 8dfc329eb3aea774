import { availableParallelism, cpus, loadavg } from 'node:os';
import type { Pinning } from './pinning';
import type { Environment } from './types';

export function describeEnvironment(pinning: Pinning): Environment {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    pinning: pinning.description,
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}
