// Liveness of chatbot-api: the floor under every other chatbot-api scenario (framework + middleware, no I/O).

/** @type {import('../src/scenario').Scenario} */
export default {
  name: 'health-chatbot-api',
  description: 'GET /health/live on chatbot-api: framework and middleware cost without I/O.',
  service: 'chatbot-api',
  baseUrl: 'http://127.0.0.1:3000',
  requests: [{ name: 'health live', method: 'GET', path: '/health/live' }],
  arrival: { rate: 200, duration: 30 },
  // A liveness probe answers from memory; anything near the chatbot API's 500 ms budget means the event loop is stuck.
  thresholds: { p95Ms: 25, p99Ms: 50, errorRate: 0 },
};
