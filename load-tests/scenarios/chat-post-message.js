// Case study 1: POST a question to a conversation. The API stores the question and its queued reply
// (encrypted), records the audit event and enqueues the answer: the target is p95 < 50 ms for this accept step.
// Twenty EMEA analysts share the load, as real users would (one user may hold only 3 requests in flight).
import { chatUsersSetup, postQuestion } from './lib/chat-users.js';

/** @type {import('../src/scenario').Scenario<import('./lib/chat-users.js').ChatLoadContext>} */
export default {
  name: 'chat-post-message',
  description: 'POST /v1/conversations/:id/messages as 20 EMEA analysts: 202 with the queued reply.',
  service: 'chatbot-api',
  baseUrl: 'http://127.0.0.1:3000',
  setup: chatUsersSetup(20, { role: 'analyst', region: 'EMEA' }),
  // A one-step journey rather than `requests`: the Node driver then starts iterations evenly spaced at the rate
  // (open model, as k6's constant-arrival-rate does) instead of autocannon's per-connection bursts at the start of
  // every second, which queue ten requests at once and measure the burst rather than the service.
  journey: [
    {
      request: postQuestion,
      expectedStatus: { min: 202, max: 202 },
    },
  ],
  arrival: { rate: 100, duration: 30 },
  thresholds: { p95Ms: 50, errorRate: 0 },
};
