// Case study 1: POST a question to a conversation. The API stores the question and its queued reply
// (encrypted) and enqueues the answer: the target is p95 < 50 ms for this accept step.

const EMAIL = 'analyst.emea@casebook.dev';
const PASSWORD = 'casebook-demo';
const QUESTIONS = [
  'revenue in EMEA for Q1 2024 by category',
  'sales in EMEA last 7 days',
  'top 5 products in EMEA in H1 2023',
  'revenue trend in EMEA by month in 2024',
];

/** @type {import('../src/scenario').Scenario<{ token: string; conversationId: string }>} */
export default {
  name: 'chat-post-message',
  description: 'POST /v1/conversations/:id/messages as analyst.emea: 202 with the queued reply.',
  service: 'chatbot-api',
  baseUrl: 'http://127.0.0.1:3000',
  setup: [
    {
      request: {
        name: 'login',
        method: 'POST',
        path: '/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
      },
      extract: (res) => ({ token: JSON.parse(res.body).accessToken }),
    },
    {
      request: (ctx) => ({
        name: 'conversation',
        method: 'POST',
        path: '/v1/conversations',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.token}` },
        body: JSON.stringify({ title: 'load test' }),
      }),
      extract: (res) => ({ conversationId: JSON.parse(res.body).id }),
    },
  ],
  requests: (ctx, iteration) => [
    {
      name: 'post message',
      method: 'POST',
      path: `/v1/conversations/${ctx.conversationId}/messages`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.token}` },
      body: JSON.stringify({ content: QUESTIONS[iteration % QUESTIONS.length] }),
    },
  ],
  arrival: { rate: 100, duration: 30 },
  expectedStatus: { min: 202, max: 202 },
  thresholds: { p95Ms: 50, errorRate: 0 },
};
