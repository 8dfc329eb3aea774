import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type Pinning, pinned } from './pinning';
import { freePort } from './ports';
import type { HttpContender } from './types';
import { answersOk, waitFor } from './wait';

export interface RunningServer {
  baseUrl: string;
  pid: number;
  stop: () => Promise<void>;
}

const OUTPUT_TAIL_CHARS = 2_000;
const DEFAULT_START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

function tail(text: string): string {
  return text.length > OUTPUT_TAIL_CHARS ? text.slice(-OUTPUT_TAIL_CHARS) : text;
}

// eslint-disable-next-line no-control-regex
const ANSI_ESCAPE = /\u001b\[[0-9;]*m/g;

/**
 * The line of a failed start most likely to say why: the last error message that is neither a stack frame nor a
 * field of a dumped error object (`code: '3D000',`).
 */
export function startFailureHint(output: string): string | undefined {
  const lines = output
    .replace(ANSI_ESCAPE, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('at ') && !/[,{}[\]]$/.test(line));
  const errorLine = [...lines].reverse().find((line) => /error|fatal|cannot|refused|not exist/i.test(line));
  return errorLine ?? lines.at(-1);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the contender's server on a free loopback port, pinned to the server core, and waits until its ready
 * path answers 2xx. Rejects with the process output when it exits or does not become ready in time.
 */
export async function startServer(contender: HttpContender, pinning: Pinning): Promise<RunningServer> {
  const port = await freePort();
  const host = '127.0.0.1';
  const [command, args] = pinned(pinning, pinning.serverCore, contender.server.command, contender.server.args);
  const child = spawn(command, args, {
    cwd: contender.server.cwd,
    // NO_COLOR keeps escape codes out of the output quoted in a skip reason.
    env: { ...process.env, NO_COLOR: '1', ...contender.server.env, PORT: String(port), HOST: host },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Always drained, so a chatty server never blocks on a full pipe during the runs; the tail explains a failed start.
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = tail(output + chunk.toString('utf8'));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  const baseUrl = `http://${host}:${port}`;
  try {
    await waitFor(
      `${contender.name} ready at ${baseUrl}${contender.readyPath}`,
      () => answersOk(`${baseUrl}${contender.readyPath}`),
      {
        timeoutMs: contender.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
        abort: () => {
          if (spawnError) return `could not start: ${spawnError.message}`;
          if (child.exitCode !== null || child.signalCode !== null) {
            return `exited (${child.exitCode ?? child.signalCode}) before ready`;
          }
          return undefined;
        },
      },
    );
  } catch (error: unknown) {
    await stopChild(child);
    const reason = error instanceof Error ? error.message : String(error);
    const hint = startFailureHint(output);
    throw new Error(hint ? `${reason}: ${hint.slice(0, 300)}` : reason);
  }
  if (child.pid === undefined) throw new Error(`${contender.name}: no pid`);
  return { baseUrl, pid: child.pid, stop: () => stopChild(child) };
}
