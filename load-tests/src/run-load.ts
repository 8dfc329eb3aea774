import autocannon from 'autocannon';
import { HdrRecorder } from './hdr-recorder';
import type { LoadMode, LoadResult } from './load-result';
import { DEFAULT_EXPECTED_STATUS, type EncodedRequest, encodeRequest, isExpectedStatus } from './request';
import type { ScenarioRequest, StatusRange } from './scenario';

export interface LoadOptions {
  baseUrl: string;
  /** Requests of one iteration, with any setup context already bound. */
  requests: ScenarioRequest[] | ((iteration: number) => ScenarioRequest[]);
  mode: LoadMode;
  /** Requests per second over all connections; required in rate mode. */
  rate?: number;
  connections: number;
  durationS: number;
  expectedStatus?: StatusRange;
  /** Seconds before a request counts as timed out. */
  timeoutS?: number;
}

type AutocannonRequest = autocannon.Request;
interface IterationState {
  built?: EncodedRequest[];
}

function toAutocannonRequests(options: LoadOptions): AutocannonRequest[] {
  const { baseUrl, requests } = options;
  if (Array.isArray(requests)) return requests.map((request) => ({ ...encodeRequest(baseUrl, request) }));
  // A builder: autocannon asks for each request of a sequence in turn, so the first one builds the whole
  // iteration and keeps it in the connection's context for the others. Iteration 0 is built once up front to
  // learn how many requests an iteration has.
  const shape = requests(0);
  let nextIteration = 0;
  return shape.map((_, index) => ({
    setupRequest: (request: AutocannonRequest, context: object): AutocannonRequest => {
      const state = context as IterationState;
      if (index === 0 || !state.built) {
        const built = requests(nextIteration++);
        if (built.length !== shape.length) {
          throw new Error(`request builder returned ${built.length} requests, expected ${shape.length}`);
        }
        state.built = built.map((item) => encodeRequest(baseUrl, item));
      }
      const encoded = state.built[index];
      if (!encoded) throw new Error(`request builder returned no request at index ${index}`);
      return { ...request, ...encoded };
    },
  }));
}

function validate(options: LoadOptions): void {
  const problems: string[] = [];
  if (!Number.isInteger(options.connections) || options.connections < 1) problems.push('connections must be >= 1');
  if (!(options.durationS > 0)) problems.push('durationS must be > 0');
  if (options.mode === 'rate' && !(options.rate !== undefined && options.rate >= 1)) {
    problems.push('rate mode needs rate >= 1 request/s');
  }
  if (problems.length > 0) throw new Error(`invalid load options: ${problems.join('; ')}`);
}

/**
 * Runs autocannon once and records every response latency in an HDR histogram.
 *
 * Rate mode uses autocannon's `overallRate`, which spreads the rate over the connections and lets each send its
 * share back to back at the start of every second: arrivals are bursty and each connection is closed-loop, so
 * queueing under overload shows up as a missed rate rather than as latency. k6's constant-arrival-rate is the
 * open-model check; this mode is for quick runs here.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  validate(options);
  const recorder = new HdrRecorder();
  const statusCodes: Record<string, number> = {};
  const expected = options.expectedStatus ?? DEFAULT_EXPECTED_STATUS;
  let unexpectedStatus = 0;
  const startedAt = new Date().toISOString();

  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        duration: options.durationS,
        timeout: options.timeoutS ?? 10,
        requests: toAutocannonRequests(options),
        ...(options.mode === 'rate' ? { overallRate: options.rate } : {}),
      },
      (error: unknown, done: autocannon.Result) => (error ? reject(toError(error)) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      recorder.recordMs(responseTimeMs);
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      if (!isExpectedStatus(statusCode, expected)) unexpectedStatus += 1;
    });
  });

  const completed = recorder.count;
  const attempted = completed + result.errors;
  return {
    mode: options.mode,
    baseUrl: options.baseUrl,
    // autocannon lowers the connection count to the rate when the rate is smaller.
    connections: result.connections,
    targetRate: options.mode === 'rate' ? (options.rate ?? null) : null,
    startedAt,
    durationS: result.duration,
    requests: { completed, perSecond: result.duration > 0 ? completed / result.duration : 0 },
    latencyMs: recorder.summary(),
    errors: {
      transport: result.errors,
      timeouts: result.timeouts,
      unexpectedStatus,
      rate: attempted > 0 ? (result.errors + unexpectedStatus) / attempted : Number.NaN,
    },
    statusCodes,
  };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
