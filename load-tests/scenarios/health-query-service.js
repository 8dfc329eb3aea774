// Liveness of query-service: the floor under the cached-query scenario.

/** @type {import('../src/scenario').Scenario} */
export default {
  name: 'health-query-service',
  description: 'GET /health/live on query-service: framework and middleware cost without I/O.',
  service: 'query-service',
  baseUrl: 'http://127.0.0.1:3001',
  requests: [{ name: 'health live', method: 'GET', path: '/health/live' }],
  arrival: { rate: 200, duration: 30 },
  thresholds: { p95Ms: 25, p99Ms: 50, errorRate: 0 },
};
