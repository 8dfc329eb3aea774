import { naughtyStrings, useTestEnvironment } from '@casebook/testing';
import { bearer, type ChatbotHarness, DEMO, startChatbot } from '../support';

const NAUGHTY = naughtyStrings();

const env = useTestEnvironment('chatbot-api');
let t: ChatbotHarness;
let token: string;
let conversationId: string;

beforeAll(async () => {
  t = await startChatbot(env);
  token = (await t.login(DEMO['analyst.emea'])).accessToken;
  conversationId = (await t.http.post('/v1/conversations').set(bearer(token)).send({ title: 'naughty' })).body.id;
});
afterAll(() => t?.close());

// Each request either succeeds or is refused with a 4xx problem document; never a 5xx, never a hang.
function expectClientOutcome(res: { status: number; headers: Record<string, string> }, input: string) {
  if (res.status >= 500) throw new Error(`${res.status} for ${JSON.stringify(input)}`);
  if (res.status >= 400 && !/problem\+json/.test(res.headers['content-type'] ?? '')) {
    throw new Error(`${res.status} ${res.headers['content-type']} for ${JSON.stringify(input)}`);
  }
}

describe('naughty strings everywhere', () => {
  it(`When each of the ${NAUGHTY.length} strings is posted as a message, then no 5xx and the text round-trips`, async () => {
    for (const input of NAUGHTY) {
      const res = await t.http
        .post(`/v1/conversations/${conversationId}/messages`)
        .set(bearer(token))
        .send({ content: input });
      expectClientOutcome(res, input);
      if (res.status === 202) expect(res.body.message.content).toBe(input);
      else expect(input.length === 0 || res.status === 400).toBe(true);
    }
  }, 120_000);

  it('When each string is a conversation title, then no 5xx', async () => {
    for (const input of NAUGHTY) {
      const res = await t.http.post('/v1/conversations').set(bearer(token)).send({ title: input });
      expectClientOutcome(res, input);
    }
  }, 120_000);

  it('When each string is a query parameter or path segment, then no 5xx', async () => {
    for (const input of NAUGHTY) {
      const encoded = encodeURIComponent(input);
      for (const url of [
        `/v1/conversations?limit=${encoded}`,
        `/v1/conversations?cursor=${encoded}`,
        `/v1/conversations/${conversationId}/messages?cursor=${encoded}`,
        `/v1/messages/${encoded || 'x'}`,
        `/v1/insights?cursor=${encoded}`,
      ]) {
        expectClientOutcome(await t.http.get(url).set(bearer(token)), `${url}`);
      }
    }
  }, 180_000);
});
