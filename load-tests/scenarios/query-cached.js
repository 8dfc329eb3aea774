// Case study 2, cached path: the same analytics question over and over, answered from the cache (an L1 hit
// after the first request). The bar: p95 < 50 ms at 200 questions/s — a cache answer must cost little more
// than the framework itself (the bench puts it against B2).
//
// query-service accepts access tokens issued by chatbot-api. Pass one as QUERY_TOKEN (k6: -e QUERY_TOKEN=…);
// without it the service answers 401 and every request counts as failed.

const env = /** @type {any} */ (globalThis);
const TOKEN = (env.__ENV && env.__ENV.QUERY_TOKEN) || (env.process && env.process.env.QUERY_TOKEN) || '';

/** @type {import('../src/scenario').Scenario} */
export default {
  name: 'query-cached',
  description: 'POST /v1/queries with one question repeated: answered from the cache after the first request.',
  service: 'query-service',
  baseUrl: 'http://127.0.0.1:3001',
  requests: [
    {
      name: 'cached question',
      method: 'POST',
      path: '/v1/queries',
      headers: { 'content-type': 'application/json', ...(TOKEN ? { authorization: `Bearer ${TOKEN}` } : {}) },
      body: JSON.stringify({ question: 'revenue by region in Q1 2024' }),
    },
  ],
  arrival: { rate: 200, duration: 30 },
  expectedStatus: { min: 200, max: 200 },
  thresholds: { p95Ms: 50, p99Ms: 100, errorRate: 0 },
};
