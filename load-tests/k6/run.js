// k6 runner for any scenario in load-tests/scenarios, with k6's open-model constant-arrival-rate executor.
//   mkdir -p load-tests/results
//   k6 run -e SCENARIO=health-chatbot-api [-e BASE_URL=…] [-e RATE=…] [-e DURATION=…] load-tests/k6/run.js
import exec from 'k6/execution';
import http from 'k6/http';
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
  thresholds: toK6Thresholds(scenario.thresholds),
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
};

export function setup() {
  return runSetup(scenario, baseUrl);
}

/** @param {Record<string, unknown>} context */
export default function (context) {
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
