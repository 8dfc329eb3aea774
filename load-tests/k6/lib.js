// Turns a driver-neutral scenario (load-tests/scenarios) into k6 calls. Mirrors load-tests/src/request.ts and
// thresholds.ts; k6 has no WHATWG URL and no Node modules, so it cannot share that code.
import http from 'k6/http';

/** @typedef {import('../src/scenario').AnyScenario} AnyScenario */
/** @typedef {import('../src/scenario').ScenarioRequest} ScenarioRequest */
/** @typedef {import('../src/scenario').SetupResponse} SetupResponse */
/** @typedef {{ method: string, url: string, headers: Record<string, string>, body: string | null, name: string }} K6Request */

/** Tags that keep setup requests out of the thresholds. */
export const LOAD_TAGS = { phase: 'load' };
export const SETUP_TAGS = { phase: 'setup' };

/**
 * @param {string} baseUrl
 * @param {ScenarioRequest} request
 * @returns {K6Request}
 */
export function encodeRequest(baseUrl, request) {
  const base = baseUrl.replace(/\/+$/, '');
  const path = request.path.startsWith('/') ? request.path : `/${request.path}`;
  /** @type {Record<string, string>} */
  const headers = { ...request.headers };
  let body = null;
  if (typeof request.body === 'string') {
    body = request.body;
  } else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
  }
  return {
    method: request.method,
    url: `${base}${path}`,
    headers,
    body,
    name: request.name ?? `${request.method} ${path}`,
  };
}

/**
 * Latency limits are strict and the error rate may equal its limit, as in the Node driver. A journey's limits
 * apply to the whole iteration (`journey_duration`, `journey_failed`), not to its single requests.
 * @param {import('../src/scenario').Thresholds} thresholds
 * @param {boolean} [journey]
 * @returns {Record<string, string[]>}
 */
export function toK6Thresholds(thresholds, journey = false) {
  /** @type {string[]} */
  const duration = [];
  if (thresholds.p95Ms !== undefined) duration.push(`p(95)<${thresholds.p95Ms}`);
  if (thresholds.p99Ms !== undefined) duration.push(`p(99)<${thresholds.p99Ms}`);
  /** @type {Record<string, string[]>} */
  const result = {};
  const durationMetric = journey ? 'journey_duration' : 'http_req_duration{phase:load}';
  const failedMetric = journey ? 'journey_failed' : 'http_req_failed{phase:load}';
  if (duration.length > 0) result[durationMetric] = duration;
  if (thresholds.errorRate !== undefined) result[failedMetric] = [`rate<=${thresholds.errorRate}`];
  return result;
}

/**
 * Runs the setup steps synchronously, as k6's setup() requires; returns the context for the default function.
 * @param {AnyScenario} scenario
 * @param {string} baseUrl
 * @returns {Record<string, unknown>}
 */
export function runSetup(scenario, baseUrl) {
  /** @type {Record<string, unknown>} */
  let context = {};
  (scenario.setup ?? []).forEach((step, index) => {
    const request = typeof step.request === 'function' ? step.request(context) : step.request;
    const req = encodeRequest(baseUrl, request);
    const res = http.request(req.method, req.url, req.body, {
      headers: req.headers,
      tags: { ...SETUP_TAGS, name: req.name },
    });
    const body = typeof res.body === 'string' ? res.body : '';
    const accepted = step.acceptStatus
      ? step.acceptStatus.includes(res.status)
      : res.status >= 200 && res.status <= 299;
    if (!accepted) {
      throw new Error(`setup step ${index + 1} (${req.name}) answered ${res.status}: ${body.slice(0, 200)}`);
    }
    /** @type {Record<string, string>} */
    const headers = {};
    for (const [name, value] of Object.entries(res.headers)) headers[name.toLowerCase()] = value;
    /** @type {SetupResponse} */
    const response = { status: res.status, headers, body };
    if (step.extract) context = { ...context, ...step.extract(response, context) };
  });
  return context;
}

/**
 * @param {AnyScenario} scenario
 * @param {Record<string, unknown>} context
 * @param {number} iteration
 * @returns {ScenarioRequest[]}
 */
export function requestsFor(scenario, context, iteration) {
  if (!scenario.requests) throw new Error(`${scenario.name} has no requests`);
  return typeof scenario.requests === 'function' ? scenario.requests(context, iteration) : scenario.requests;
}
