// Case study 2, uncached path: every iteration asks about a different 30-day window, so every answer is a
// cache miss computed by the warehouse. The bar is the chatbot API's p95 < 500 ms: a miss must still fit the
// budget of the request it serves (Q16.1), at a rate the warehouse pool carries.
//
// Pass an access token issued by chatbot-api as QUERY_TOKEN (k6: -e QUERY_TOKEN=…).

const env = /** @type {any} */ (globalThis);
const TOKEN = (env.__ENV && env.__ENV.QUERY_TOKEN) || (env.process && env.process.env.QUERY_TOKEN) || '';
const DAY = 86_400_000;
const START = Date.UTC(2023, 0, 1);
/** Distinct windows before they repeat: more than a run at the default rate and duration asks for. */
const WINDOWS = 900;
/** Shifts every window by the minute the run started, so a second run does not find the first one's answers. */
const SALT_MS = (Math.floor(Date.now() / 60_000) % 1_440) * 60_000;

/** @type {import('../src/scenario').Scenario} */
export default {
  name: 'query-uncached',
  description: 'POST /v1/queries with a different 30-day window every time: every answer comes from the warehouse.',
  service: 'query-service',
  baseUrl: 'http://127.0.0.1:3001',
  requests: (_ctx, iteration) => {
    const from = START + (iteration % WINDOWS) * DAY + SALT_MS;
    return [
      {
        name: 'uncached question',
        method: 'POST',
        path: '/v1/queries',
        headers: { 'content-type': 'application/json', ...(TOKEN ? { authorization: `Bearer ${TOKEN}` } : {}) },
        body: JSON.stringify({
          query: {
            metrics: ['revenue', 'units'],
            groupBy: ['category'],
            time: { from: new Date(from).toISOString(), to: new Date(from + 30 * DAY).toISOString() },
          },
        }),
      },
    ];
  },
  arrival: { rate: 10, duration: 30 },
  expectedStatus: { min: 200, max: 200 },
  thresholds: { p95Ms: 500, p99Ms: 1000, errorRate: 0 },
};
