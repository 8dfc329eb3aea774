// Case study 1 end to end: an EMEA analyst asks an analytics question whose result query-service has cached,
// and follows the reply's SSE stream until `done`. Measured per iteration from the POST to the end of the
// stream (the server closes it after the final event): accept, queue, worker (classifier, query-service
// cache hit, answer phrasing, outbound gate), events. Target: p95 < 500 ms.
import { chatUsersSetup, postQuestion, userFor } from './lib/chat-users.js';

/** @type {import('../src/scenario').Scenario<import('./lib/chat-users.js').ChatLoadContext>} */
export default {
  name: 'chat-answer-cached',
  description: 'POST a cached analytics question, then GET /v1/messages/:id/events until done (20 EMEA analysts).',
  service: 'chatbot-api',
  baseUrl: 'http://127.0.0.1:3000',
  setup: chatUsersSetup(20, { role: 'analyst', region: 'EMEA' }),
  journey: [
    {
      request: postQuestion,
      expectedStatus: { min: 202, max: 202 },
      extract: (res) => {
        const id = JSON.parse(res.body)?.reply?.id;
        return typeof id === 'string' ? { replyId: id } : undefined;
      },
    },
    {
      request: (ctx, iteration, state) => ({
        name: 'follow reply',
        method: 'GET',
        path: `/v1/messages/${state.replyId}/events`,
        headers: { accept: 'text/event-stream', authorization: `Bearer ${userFor(ctx, iteration).token}` },
      }),
      expectedStatus: { min: 200, max: 200 },
      check: (res) => res.body.includes('\nevent: done\n'),
    },
  ],
  arrival: { rate: 20, duration: 30 },
  thresholds: { p95Ms: 500, errorRate: 0 },
};
