import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Env } from '@casebook/platform';
import { waitFor } from '@casebook/testing';

const DIST = resolve(__dirname, '../../dist/testing');

/** A compiled fixture entry (`fixture-api.js`, `fixture-consumer.js`) running as its own process. */
export class FixtureProcess {
  private child: ChildProcess | null = null;
  private output = '';

  constructor(
    private readonly entry: 'fixture-api.js' | 'fixture-consumer.js',
    private readonly env: Env,
  ) {}

  start(): void {
    const child = spawn(process.execPath, [resolve(DIST, this.entry)], {
      env: { PATH: process.env.PATH, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child = child;
  }

  /** kill -9: no shutdown hook, no flush, no goodbye. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null;
  }

  /** What the process printed, for failure messages. */
  get log(): string {
    return this.output.slice(-4_000);
  }
}

export async function waitUntilReady(port: number, process: FixtureProcess): Promise<void> {
  await waitFor(
    async () => {
      if (!process.running) throw new Error(`fixture exited:\n${process.log}`);
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
      return res.status === 200;
    },
    { timeoutMs: 60_000, intervalMs: 100, message: 'fixture API did not become ready' },
  );
}
