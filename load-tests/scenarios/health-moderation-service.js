// Liveness of moderation-service. Moderation's own target is p95 < 100 ms at high rates, so its health route is
// the ceiling of what the service could carry.

/** @type {import('../src/scenario').Scenario} */
export default {
  name: 'health-moderation-service',
  description: 'GET /health/live on moderation-service: framework and middleware cost without I/O.',
  service: 'moderation-service',
  baseUrl: 'http://127.0.0.1:3002',
  requests: [{ name: 'health live', method: 'GET', path: '/health/live' }],
  arrival: { rate: 200, duration: 30 },
  thresholds: { p95Ms: 25, p99Ms: 50, errorRate: 0 },
};
