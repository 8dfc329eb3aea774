import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { type LoadMode, type LoadResult, runLoad } from '@casebook/load-tests';
import { type Pinning, pinned } from './pinning';

/** One load run, as plain data so it can cross the IPC channel. */
export interface GeneratorRequest {
  baseUrl: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  mode: LoadMode;
  rate?: number;
  connections: number;
  durationS: number;
}

export interface GeneratorResult {
  load: LoadResult;
  /** CPU used by the generator process during the run, as a share of one core (1 = one core fully busy). */
  cpu: number;
}

export interface LoadGenerator {
  run: (request: GeneratorRequest) => Promise<GeneratorResult>;
  close: () => Promise<void>;
}

/** Runs the load and measures this process's CPU over it; used in the worker and in-process. */
export async function measureLoad(request: GeneratorRequest): Promise<GeneratorResult> {
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  const load = await runLoad({
    baseUrl: request.baseUrl,
    requests: [
      {
        method: request.method,
        path: request.path,
        ...(request.headers ? { headers: request.headers } : {}),
        ...(request.body !== undefined ? { body: request.body } : {}),
      },
    ],
    mode: request.mode,
    connections: request.connections,
    durationS: request.durationS,
    ...(request.rate !== undefined ? { rate: request.rate } : {}),
  });
  const cpu = process.cpuUsage(cpuStart);
  const wallMicros = Number(process.hrtime.bigint() - wallStart) / 1_000;
  return { load, cpu: (cpu.user + cpu.system) / wallMicros };
}

/** Generator in the harness process: for tests and machines without a second core. Not pinned. */
export function inProcessGenerator(): LoadGenerator {
  return { run: measureLoad, close: async () => undefined };
}

type WorkerMessage = { id: number; result: GeneratorResult } | { id: number; error: string };

/**
 * A long-lived generator child process pinned to the generator core. One process for the whole session, so
 * autocannon is JIT-warm after the first warm-up instead of cold in every run.
 */
export function childProcessGenerator(pinning: Pinning): LoadGenerator {
  const worker = path.join(__dirname, '..', 'generator-worker.js');
  const [command, args] = pinned(pinning, pinning.generatorCore, process.execPath, [worker]);
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (result: GeneratorResult) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exitReason: string | undefined;

  child.on('message', (message: WorkerMessage) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if ('error' in message) waiter.reject(new Error(message.error));
    else waiter.resolve(message.result);
  });
  const failAll = (reason: string): void => {
    exitReason = reason;
    for (const waiter of pending.values()) waiter.reject(new Error(reason));
    pending.clear();
  };
  child.on('exit', (code, signal) => failAll(`generator process exited (${code ?? signal})`));
  child.on('error', (error) => failAll(`generator process failed: ${error.message}`));

  return {
    run: (request) =>
      new Promise((resolve, reject) => {
        if (exitReason) return reject(new Error(exitReason));
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ id, request });
      }),
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      await exited;
    },
  };
}
