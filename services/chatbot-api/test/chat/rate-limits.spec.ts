import { useTestEnvironment } from '@casebook/testing';
import { bearer, type ChatbotHarness, DEMO, startChatbot } from '../support';

// Q5.x wired into the chatbot: an LLM message costs 10 units of the caller's tier, a list call 1.
const env = useTestEnvironment('chatbot-api');
let t: ChatbotHarness;

beforeAll(async () => {
  t = await startChatbot(env, { RATE_LIMIT_TIERS: 'admin=1200/60:200,analyst=300/60:60,guest=60/60:20' });
});
afterAll(() => t?.close());

describe('rate limits on chatbot routes', () => {
  it('When a guest sends messages past their tier, then 429 with Retry-After; list calls carry RateLimit headers', async () => {
    const token = (await t.login(DEMO.guest)).accessToken;
    const conversation = await t.http.post('/v1/conversations').set(bearer(token)).send({ title: 'limits' });
    const statuses: number[] = [];
    let limited: { headers: Record<string, string>; body: { code: string } } | undefined;
    for (let i = 0; i < 4 && !limited; i += 1) {
      const res = await t.http
        .post(`/v1/conversations/${conversation.body.id}/messages`)
        .set(bearer(token))
        .send({ content: `q${i}` });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    // A burst of 20 units, less what sign-in and the conversation cost, holds one or two messages of 10.
    expect(statuses[0]).toBe(202);
    expect(statuses[statuses.length - 1]).toBe(429);
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(2);
    expect(limited!.body.code).toBe('RATE_LIMITED');
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);

    const list = await t.http.get('/v1/conversations').set(bearer(token));
    expect(list.status).toBe(200);
    expect(list.headers['ratelimit-policy']).toMatch(/"user";q=60;w=60/);
    expect(list.headers.ratelimit).toMatch(/"user";r=\d+;t=\d+/);
  });
});
