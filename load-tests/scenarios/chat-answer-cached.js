// Case study 1 end to end: an EMEA analyst asks an analytics question whose result query-service has cached,
// and follows the reply's SSE stream until `done`. Measured per iteration from the POST to the end of the
// stream (the server closes it after the final event): accept, queue, worker (classifier, query-service
// cache hit, answer phrasing, outbound gate), events. Target: p95 < 500 ms.
import { chatUsersSetup, userFor } from './lib/chat-users.js';

const QUESTIONS = [
  'revenue in EMEA for Q1 2024 by category',
  'sales in EMEA last 7 days',
  'top 5 products in EMEA in H1 2023',
  'revenue trend in EMEA by month in 2024',
];

/** @type {import('../src/scenario').Scenario<import('./lib/chat-users.js').ChatLoadContext>} */
export default {
  name: 'chat-answer-cached',
  description: 'POST a cached analytics question, then GET /v1/messages/:id/events until done (20 EMEA analysts).',
  service: 'chatbot-api',
  baseUrl: 'http://127.0.0.1:3000',
  setup: chatUsersSetup(20, { role: 'analyst', region: 'EMEA' }),
  journey: [
    {
      request: (ctx, iteration) => {
        const user = userFor(ctx, iteration);
        return {
          name: 'post question',
          method: 'POST',
          path: `/v1/conversations/${user.conversationId}/messages`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
          body: JSON.stringify({ content: QUESTIONS[iteration % QUESTIONS.length] }),
        };
      },
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
