// Load users and questions for the chatbot scenarios. One user may hold only a few requests in flight (the `concurrency`
// limit of its tier, Q5.x), so a realistic load comes from many users: the admin creates them once (409 when
// they exist from an earlier run), each signs in and opens a conversation, and iteration i acts as user i mod N.

const ADMIN = { email: 'admin@casebook.dev', password: 'casebook-demo' };
export const LOAD_USER_PASSWORD = 'casebook-load-test';
const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * @typedef {{ token: string; conversationId: string }} LoadUser
 * @typedef {{ adminToken: string; users: LoadUser[] }} ChatLoadContext
 */

/**
 * @param {number} count
 * @param {{ region: string; role: string }} profile
 * @returns {import('../../src/scenario').SetupStep<ChatLoadContext>[]}
 */
export function chatUsersSetup(count, profile) {
  /** @type {import('../../src/scenario').SetupStep<ChatLoadContext>[]} */
  const steps = [
    {
      request: { name: 'admin login', method: 'POST', path: '/v1/auth/login', headers: JSON_HEADERS, body: ADMIN },
      extract: (res) => ({ adminToken: JSON.parse(res.body).accessToken, users: [] }),
    },
  ];
  for (let i = 0; i < count; i += 1) {
    const email = `load.${profile.role}.${profile.region.toLowerCase()}.${i}@casebook.dev`;
    steps.push(
      {
        request: (ctx) => ({
          name: 'create load user',
          method: 'POST',
          path: '/v1/admin/users',
          headers: { ...JSON_HEADERS, authorization: `Bearer ${ctx.adminToken}` },
          body: { email, password: LOAD_USER_PASSWORD, roles: [profile.role], region: profile.region },
        }),
        acceptStatus: [201, 409],
      },
      {
        request: {
          name: 'load user login',
          method: 'POST',
          path: '/v1/auth/login',
          headers: JSON_HEADERS,
          body: { email, password: LOAD_USER_PASSWORD },
        },
        extract: (res, ctx) => ({
          users: [...(ctx.users ?? []), { token: JSON.parse(res.body).accessToken, conversationId: '' }],
        }),
      },
      {
        request: (ctx) => ({
          name: 'conversation',
          method: 'POST',
          path: '/v1/conversations',
          headers: { ...JSON_HEADERS, authorization: `Bearer ${ctx.users?.[i]?.token}` },
          body: { title: 'load test' },
        }),
        extract: (res, ctx) => ({
          users: (ctx.users ?? []).map((user, index) =>
            index === i ? { ...user, conversationId: JSON.parse(res.body).id } : user,
          ),
        }),
      },
    );
  }
  return steps;
}

/**
 * @param {ChatLoadContext} ctx
 * @param {number} iteration
 * @returns {LoadUser}
 */
export function userFor(ctx, iteration) {
  const user = ctx.users[iteration % ctx.users.length];
  if (!user) throw new Error('no load users were set up');
  return user;
}

/** Analytics questions an EMEA analyst may ask; four canonical queries, so query-service answers them from its cache. */
export const EMEA_QUESTIONS = [
  'revenue in EMEA for Q1 2024 by category',
  'sales in EMEA last 7 days',
  'top 5 products in EMEA in H1 2023',
  'revenue trend in EMEA by month in 2024',
];

/**
 * Iteration i: user i mod N posts question i mod 4 to their conversation.
 * @param {ChatLoadContext} ctx
 * @param {number} iteration
 * @returns {import('../../src/scenario').ScenarioRequest}
 */
export function postQuestion(ctx, iteration) {
  const user = userFor(ctx, iteration);
  return {
    name: 'post question',
    method: 'POST',
    path: `/v1/conversations/${user.conversationId}/messages`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
    body: JSON.stringify({ content: EMEA_QUESTIONS[iteration % EMEA_QUESTIONS.length] }),
  };
}
