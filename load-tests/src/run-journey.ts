import { performance } from 'node:perf_hooks';
import { HdrRecorder } from './hdr-recorder';
import type { LoadResult } from './load-result';
import { encodeRequest, isExpectedStatus } from './request';
import type { JourneyStep, SetupResponse } from './scenario';

export interface JourneyLoadOptions<Ctx extends object> {
  baseUrl: string;
  context: Ctx;
  steps: JourneyStep<Ctx>[];
  /** Iterations started per second, whatever happens to the earlier ones (open model). */
  rate: number;
  durationS: number;
  /** Iterations in flight beyond this are not started and count as transport errors. */
  maxInFlight: number;
  /** A step without a complete response after this long fails its iteration. */
  timeoutMs?: number;
}

type Outcome =
  { kind: 'ok'; status: number } | { kind: 'unexpected'; status: number } | { kind: 'transport' } | { kind: 'timeout' };

/**
 * Open-model load for journeys: iteration i starts at `start + i / rate` (no coordinated omission: a slow
 * iteration does not delay the next one), runs its steps one after another with `fetch`, and is measured from
 * the first request to the last byte of the last response. autocannon cannot do this: its requests are
 * independent and its connections closed-loop.
 */
export async function runJourneyLoad<Ctx extends object>(options: JourneyLoadOptions<Ctx>): Promise<LoadResult> {
  const recorder = new HdrRecorder();
  const statusCodes: Record<string, number> = {};
  const errors = { transport: 0, timeouts: 0, unexpectedStatus: 0 };
  const total = Math.max(1, Math.round(options.rate * options.durationS));
  const intervalMs = 1_000 / options.rate;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const inFlight = new Set<Promise<void>>();
  let completed = 0;

  const startedAt = new Date();
  const start = performance.now();
  for (let iteration = 0; iteration < total; iteration += 1) {
    const due = start + iteration * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight.size >= options.maxInFlight) {
      errors.transport += 1;
      continue;
    }
    const run = runIteration(options, iteration, timeoutMs).then((outcome) => {
      if (outcome.kind === 'transport' || outcome.kind === 'timeout') {
        if (outcome.kind === 'transport') errors.transport += 1;
        else errors.timeouts += 1;
      } else {
        completed += 1;
        statusCodes[outcome.status] = (statusCodes[outcome.status] ?? 0) + 1;
        if (outcome.kind === 'unexpected') errors.unexpectedStatus += 1;
        // Measured from when the iteration was due, so a late start (a busy generator) counts against it.
        recorder.recordMs(performance.now() - due);
      }
    });
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
  }
  await Promise.all(inFlight);
  const durationS = (performance.now() - start) / 1_000;
  const attempted = completed + errors.transport + errors.timeouts;
  return {
    mode: 'rate',
    baseUrl: options.baseUrl,
    connections: options.maxInFlight,
    targetRate: options.rate,
    startedAt: startedAt.toISOString(),
    durationS: Math.round(durationS * 100) / 100,
    requests: { completed, perSecond: durationS > 0 ? completed / durationS : 0 },
    latencyMs: recorder.summary(),
    errors: {
      ...errors,
      rate: attempted > 0 ? (errors.transport + errors.timeouts + errors.unexpectedStatus) / attempted : Number.NaN,
    },
    statusCodes,
  };
}

async function runIteration<Ctx extends object>(
  options: JourneyLoadOptions<Ctx>,
  iteration: number,
  timeoutMs: number,
): Promise<Outcome> {
  let state: Record<string, string> = {};
  let last: Outcome = { kind: 'transport' };
  for (const step of options.steps) {
    const encoded = encodeRequest(options.baseUrl, step.request(options.context, iteration, state));
    let response: SetupResponse;
    try {
      const res = await fetch(new URL(encoded.path, options.baseUrl), {
        method: encoded.method,
        headers: encoded.headers,
        body: encoded.body ?? null,
        signal: AbortSignal.timeout(timeoutMs),
      });
      response = { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
    } catch (error: unknown) {
      return { kind: (error as Error).name === 'TimeoutError' ? 'timeout' : 'transport' };
    }
    const expected = isExpectedStatus(response.status, step.expectedStatus) && (step.check?.(response) ?? true);
    if (!expected) return { kind: 'unexpected', status: response.status };
    const extracted = step.extract ? step.extract(response) : {};
    if (!extracted) return { kind: 'unexpected', status: response.status };
    state = { ...state, ...extracted };
    last = { kind: 'ok', status: response.status };
  }
  return last;
}
