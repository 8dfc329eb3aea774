// The driver-neutral scenario contract. Scenario files under `load-tests/scenarios/` are plain ES modules typed
// against these declarations through JSDoc; both the k6 script and the Node driver read them. Keep this file
// free of runtime code and of Node types: the k6 type check (`load-tests/k6/tsconfig.json`) includes it.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface ScenarioRequest {
  /** Label for per-request metrics (the k6 `name` tag). Defaults to `METHOD path`. */
  name?: string;
  method: HttpMethod;
  /** Path and query string, appended to the base URL's path. */
  path: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else is sent as JSON with `content-type: application/json`. */
  body?: string | Record<string, unknown> | unknown[];
}

/** What a setup step sees of a response. Header names are lower-case. */
export interface SetupResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One request made once before the load starts, e.g. a login. Setup is a list of steps rather than an async
 * function because k6 runs `setup()` synchronously and the Node driver runs it with `fetch`: the drivers make
 * the request, the scenario only builds it and picks values out of the response.
 */
export interface SetupStep<Ctx extends object> {
  request: ScenarioRequest | ((ctx: Partial<Ctx>) => ScenarioRequest);
  /** Values merged into the context, e.g. `{ token: JSON.parse(res.body).accessToken }`. */
  extract?: (res: SetupResponse, ctx: Partial<Ctx>) => Partial<Ctx>;
  /** Statuses that let setup continue; default any 2xx. E.g. `[201, 409]` for "create unless it exists". */
  acceptStatus?: number[];
}

/**
 * One request of a journey: built from the setup context, the iteration number and what the earlier steps of
 * this iteration extracted (e.g. the id of the reply a POST queued, then its event stream).
 */
export interface JourneyStep<Ctx extends object> {
  request: (ctx: Ctx, iteration: number, state: Record<string, string>) => ScenarioRequest;
  /** Values for the later steps; `undefined` when the response did not have them (the iteration fails). */
  extract?: (res: SetupResponse) => Record<string, string> | undefined;
  /** Statuses that count as success for this step. Default 200–399. */
  expectedStatus?: StatusRange;
  /** A response with an expected status can still be a failure, e.g. an event stream that ended in `failed`. */
  check?: (res: SetupResponse) => boolean;
}

/** Inclusive range of response statuses that count as success. */
export interface StatusRange {
  min: number;
  max: number;
}

export interface Arrival {
  /** Iterations started per second; one iteration sends every request of the scenario once. */
  rate: number;
  /** Seconds. */
  duration: number;
}

/**
 * Pass conditions. Latencies are strict (`p95 < p95Ms`, as the case studies state targets); `errorRate` is the
 * largest allowed fraction of failed requests (0 means none).
 */
export interface Thresholds {
  p95Ms?: number;
  p99Ms?: number;
  errorRate?: number;
}

/** A fixed list, or a builder called once per iteration that returns the same number of requests every time. */
export type RequestSource<Ctx extends object> =
  ScenarioRequest[] | ((ctx: Ctx, iteration: number) => ScenarioRequest[]);

export interface Scenario<Ctx extends object = Record<string, never>> {
  /** Same as the file name without `.js`. */
  name: string;
  description: string;
  /** The service under test, e.g. `chatbot-api`. */
  service: string;
  /** Default base URL; `--base-url` (Node driver) or `BASE_URL` (k6) overrides it. */
  baseUrl: string;
  setup?: SetupStep<Ctx>[];
  /** Independent requests (autocannon in the Node driver). A scenario has `requests` or `journey`. */
  requests?: RequestSource<Ctx>;
  /**
   * Dependent requests made one after another per iteration; the measured latency is the whole iteration, from
   * the first request to the end of the last response body (Node driver: open-model arrivals with `fetch`; k6:
   * the `journey_duration` trend).
   */
  journey?: JourneyStep<Ctx>[];
  arrival: Arrival;
  thresholds: Thresholds;
  /** Statuses counted as success. Default 200–399, the same as k6's `http_req_failed`. */
  expectedStatus?: StatusRange;
}

/**
 * A scenario whatever its setup context, for registries and drivers that treat the context as opaque. Request
 * builders take the context as a parameter, and parameters are contravariant, so only `any` admits every context.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyScenario = Scenario<any>;
