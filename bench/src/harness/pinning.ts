import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** Core assignment: server on one core, load generator on another, so they do not steal each other's CPU. */
export interface Pinning {
  enabled: boolean;
  serverCore: number;
  generatorCore: number;
  /** Why pinning is off, or which cores are used. */
  description: string;
}

export const SERVER_CORE = 0;
export const GENERATOR_CORE = 1;

export function detectPinning(wanted: boolean): Pinning {
  const off = (why: string): Pinning => ({
    enabled: false,
    serverCore: SERVER_CORE,
    generatorCore: GENERATOR_CORE,
    description: `none (${why})`,
  });
  if (!wanted) return off('--no-pin');
  if (process.platform !== 'linux') return off(`taskset is Linux-only, platform is ${process.platform}`);
  if (availableParallelism() < 2) return off('fewer than 2 cores');
  const probe = spawnSync('taskset', ['-c', String(SERVER_CORE), 'true'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) return off('taskset not usable');
  return {
    enabled: true,
    serverCore: SERVER_CORE,
    generatorCore: GENERATOR_CORE,
    description: `taskset: server on core ${SERVER_CORE}, generator on core ${GENERATOR_CORE}`,
  };
}

/** Wraps a command in `taskset -c <core>` when pinning is on; taskset execs, so the pid stays the command's. */
export function pinned(pinning: Pinning, core: number, command: string, args: readonly string[]): [string, string[]] {
  return pinning.enabled ? ['taskset', ['-c', String(core), command, ...args]] : [command, [...args]];
}
