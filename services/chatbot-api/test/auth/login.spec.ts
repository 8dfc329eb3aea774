import { PasswordHasher } from '@casebook/auth';
import { useTestEnvironment } from '@casebook/testing';
import { type ChatbotHarness, DEMO, PASSWORD, startChatbot } from '../support';

const env = useTestEnvironment('chatbot-api');
let t: ChatbotHarness;

beforeAll(async () => {
  t = await startChatbot(env, { AUTH_LOGIN_MAX_FAILURES: '5', AUTH_LOGIN_WINDOW_SECONDS: '900' });
});
afterAll(() => t?.close());

const login = (email: string, password: string, ip = '203.0.113.7') =>
  t.http.post('/v1/auth/login').set('x-forwarded-for', ip).send({ email, password });

describe('sign-in (Q2.2, Q2.4)', () => {
  it('When the email differs only in case and spaces, then it is the same account', async () => {
    const res = await login('  Analyst.EMEA@Casebook.dev ', PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
  });

  it('When the email is unknown or the password wrong, then both run argon2 once and answer the same 401', async () => {
    const hasher = t.app.get(PasswordHasher);
    const verify = jest.spyOn(hasher, 'verify');
    try {
      const unknown = await login('nobody@casebook.dev', 'whatever-password');
      expect(verify).toHaveBeenCalledTimes(1); // against the dummy hash
      const wrong = await login(DEMO['analyst.amer'], 'not-the-password');
      expect(verify).toHaveBeenCalledTimes(2);
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      const shape = (body: Record<string, unknown>) => ({ ...body, requestId: undefined, instance: undefined });
      expect(shape(unknown.body)).toEqual(shape(wrong.body));
      expect(unknown.body.code).toBe('AUTH_INVALID_CREDENTIALS');
    } finally {
      verify.mockRestore();
    }
  });

  it('When an account fails five times in the window, then the sixth attempt gets 429 with Retry-After, even with the right password', async () => {
    for (let i = 0; i < 5; i += 1) {
      expect((await login(DEMO.guest, `wrong-${i}`, `198.51.100.${i + 1}`)).status).toBe(401);
    }
    const sixth = await login(DEMO.guest, PASSWORD, '198.51.100.99');
    expect(sixth.status).toBe(429);
    expect(sixth.body.code).toBe('AUTH_LOGIN_RATE_LIMITED');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('When the body is malformed, then 400 names the fields', async () => {
    const res = await t.http.post('/v1/auth/login').send({ email: 42 });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'password']);
  });

  it('When sign-ins happen, then no password reaches the logs', async () => {
    await login(DEMO['senior.emea'], PASSWORD);
    expect(t.logs.text()).not.toContain(PASSWORD);
  });

  it('When a password is stored, then it is an argon2id hash with the configured parameters', async () => {
    const [{ hash }] = await t.db.query('SELECT password_hash AS hash FROM users WHERE email = $1', [DEMO.admin]);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
  });
});
