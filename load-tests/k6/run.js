// k6 runner for any scenario in load-tests/scenarios, with k6's open-model constant-arrival-rate executor.
//   mkdir -p load-tests/results
//   k6 run -e SCENARIO=health-chatbot-api [-e BASE_URL=…] [-e RATE=…] [-e DURATION=…] load-tests/k6/run.js
import exec from 'k6/execution';
import http from 'k6/http';
import { Rate, Trend } from 'k6/metrics';
import { scenarios } from '../scenarios/index.js';
import { encodeRequest, LOAD_TAGS, requestsFor, runSetup, toK6Thresholds } from './lib.js';
import { textSummary } from './summary.js';

const name = __ENV.SCENARIO || 'health-chatbot-api';
const scenario = scenarios[name];
if (!scenario) throw new Error(`unknown SCENARIO ${name}; known: ${Object.keys(scenarios).join(', ')}`);

const baseUrl = __ENV.BASE_URL || scenario.baseUrl;
const rate = Number(__ENV.RATE || scenario.arrival.rate);
const duration = Number(__ENV.DURATION || scenario.arrival.duration);
const outDir = __ENV.OUT_DIR || 'load-tests/results';

http.setResponseCallback(http.expectedStatuses(scenario.expectedStatus ?? { min: 200, max: 399 }));

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    [name]: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration: `${duration}s`,
      // Enough VUs for ~100 ms iterations; k6 adds more up to maxVUs and counts dropped_iterations beyond that.
      preAllocatedVUs: Number(__ENV.VUS || Math.max(10, Math.ceil(rate / 10))),
      maxVUs: Number(__ENV.MAX_VUS || Math.max(50, rate)),
    },
  },
  thresholds: toK6Thresholds(scenario.thresholds, Boolean(scenario.journey)),
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
};

export function setup() {
  return runSetup(scenario, baseUrl);
}

// A journey is measured as a whole: first request to the end of the last response (e.g. an SSE stream that the
// server closes when the answer is done).
const journeyDuration = new Trend('journey_duration', true);
const journeyFailed = new Rate('journey_failed');

/**
 * @param {NonNullable<import('../src/scenario').AnyScenario['journey']>} steps
 * @param {Record<string, unknown>} context
 * @param {number} iteration
 */
function runJourney(steps, context, iteration) {
  const started = Date.now();
  /** @type {Record<string, string>} */
  let state = {};
  let ok = true;
  for (const step of steps) {
    const req = encodeRequest(baseUrl, step.request(context, iteration, state));
    const res = http.request(req.method, req.url, req.body, {
      headers: req.headers,
      tags: { ...LOAD_TAGS, name: req.name },
      responseCallback: http.expectedStatuses(step.expectedStatus ?? { min: 200, max: 399 }),
    });
    const body = typeof res.body === 'string' ? res.body : '';
    /** @type {Record<string, string>} */
    const headers = {};
    for (const [name, value] of Object.entries(res.headers)) headers[name.toLowerCase()] = value;
    const response = { status: res.status, headers, body };
    const range = step.expectedStatus ?? { min: 200, max: 399 };
    const extracted = step.extract ? step.extract(response) : {};
    if (res.status < range.min || res.status > range.max || (step.check && !step.check(response)) || !extracted) {
      ok = false;
      break;
    }
    state = { ...state, ...extracted };
  }
  journeyDuration.add(Date.now() - started);
  journeyFailed.add(!ok);
}

/** @param {Record<string, unknown>} context */
export default function (context) {
  if (scenario.journey) {
    runJourney(scenario.journey, context, exec.scenario.iterationInTest);
    return;
  }
  for (const request of requestsFor(scenario, context, exec.scenario.iterationInTest)) {
    const req = encodeRequest(baseUrl, request);
    http.request(req.method, req.url, req.body, { headers: req.headers, tags: { ...LOAD_TAGS, name: req.name } });
  }
}

/** @param {import('./summary.js').SummaryData} data */
export function handleSummary(data) {
  const { text } = textSummary(data, { name, baseUrl, rate, duration });
  return {
    stdout: text,
    [`${outDir}/k6-${name}.json`]: JSON.stringify(data, null, 2),
    [`${outDir}/k6-${name}.txt`]: text,
  };
}
