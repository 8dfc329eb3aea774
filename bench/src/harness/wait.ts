import { setTimeout as delay } from 'node:timers/promises';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Checked before each attempt; a string stops the wait with that reason (e.g. "the process exited"). */
  abort?: () => string | undefined;
}

/** Polls `check` until it returns true; rejects with the abort reason or on timeout. */
export async function waitFor(description: string, check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const aborted = options.abort?.();
    if (aborted) throw new Error(`${description}: ${aborted}`);
    if (await check()) return;
    if (Date.now() >= deadline) throw new Error(`${description}: not within ${options.timeoutMs} ms`);
    await delay(options.intervalMs ?? 100);
  }
}

/** True when `url` answers 2xx within a second. */
export async function answersOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
