import { createHmac, generateKeyPairSync } from 'node:crypto';
import { KeyRing } from '@casebook/auth';
import { useTestEnvironment } from '@casebook/testing';
import { SignJWT } from 'jose';
import { bearer, type ChatbotHarness, DEMO, startChatbot } from '../support';

const env = useTestEnvironment('chatbot-api');
let t: ChatbotHarness;
let token: string;

beforeAll(async () => {
  t = await startChatbot(env);
  token = (await t.login(DEMO['analyst.emea'])).accessToken;
});
afterAll(() => t?.close());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const parts = (jwt: string) => jwt.split('.') as [string, string, string];
const header = (jwt: string) => JSON.parse(Buffer.from(parts(jwt)[0], 'base64url').toString());
const payload = (jwt: string) => JSON.parse(Buffer.from(parts(jwt)[1], 'base64url').toString());

async function me(jwt: string) {
  return t.http.get('/v1/me').set(bearer(jwt));
}

/** Signs claims with the service's real key, to forge only the part under test. */
async function signWithRealKey(claims: Record<string, unknown>, headerOverrides: Record<string, unknown> = {}) {
  const { kid, key } = t.app.get(KeyRing).signer();
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid, ...headerOverrides }).sign(key);
}

describe('JWT attack set (Q2.3)', () => {
  it('When the genuine token is used, then /v1/me answers 200', async () => {
    expect((await me(token)).status).toBe(200);
  });

  it.each([
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${parts(token)[1]}.`, 'AUTH_TOKEN_ALG_NOT_ALLOWED'],
    [
      'HS256 signed with the public key (algorithm confusion)',
      () => {
        const publicJwk = t.app.get(KeyRing).jwks().keys[0]!;
        const signingInput = `${b64({ alg: 'HS256', kid: publicJwk.kid })}.${parts(token)[1]}`;
        const mac = createHmac('sha256', JSON.stringify(publicJwk)).update(signingInput).digest('base64url');
        return `${signingInput}.${mac}`;
      },
      'AUTH_TOKEN_ALG_NOT_ALLOWED',
    ],
    [
      'payload changed after signing',
      () => `${parts(token)[0]}.${b64({ ...payload(token), roles: ['admin'] })}.${parts(token)[2]}`,
      'AUTH_TOKEN_SIGNATURE_INVALID',
    ],
    [
      'signature bytes changed',
      () => {
        const sig = Buffer.from(parts(token)[2], 'base64url');
        sig[0] = sig[0]! ^ 0xff;
        return `${parts(token)[0]}.${parts(token)[1]}.${sig.toString('base64url')}`;
      },
      'AUTH_TOKEN_SIGNATURE_INVALID',
    ],
    [
      'unknown kid',
      () => `${b64({ ...header(token), kid: 'not-a-key-we-know' })}.${parts(token)[1]}.${parts(token)[2]}`,
      'AUTH_TOKEN_KEY_UNKNOWN',
    ],
    ['not a JWT at all', () => 'definitely-not-a-token', 'AUTH_TOKEN_MALFORMED'],
  ])('When the token has %s, then 401 with a stable code', async (_name, forge, code) => {
    const res = await me(forge());
    expect(res.status).toBe(401);
    expect(res.body.code).toBe(code);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('When the token is signed by a key pair that is not ours, then 401 (guest forging roles: ["admin"])', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const forged = await new SignJWT({ ...payload(token), roles: ['admin'] })
      .setProtectedHeader({ alg: 'EdDSA', kid: header(token).kid })
      .sign(privateKey);
    const res = await t.http.get('/v1/admin/users').set(bearer(forged));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_TOKEN_SIGNATURE_INVALID');
  });

  it('When claims are time-shifted or misaddressed (signed with our key), then each gets its own code', async () => {
    const now = Math.floor(Date.now() / 1000);
    const base = { ...payload(token) };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, exp: now - 3600, iat: now - 4000, nbf: now - 4000 }, 'AUTH_TOKEN_EXPIRED'],
      [{ ...base, nbf: now + 3600 }, 'AUTH_TOKEN_NOT_YET_VALID'],
      [{ ...base, iss: 'https://evil.example' }, 'AUTH_TOKEN_ISSUER_INVALID'],
      [{ ...base, aud: 'some-other-api' }, 'AUTH_TOKEN_AUDIENCE_INVALID'],
    ];
    for (const [claims, code] of cases) {
      const res = await me(await signWithRealKey(claims));
      expect({ code: res.body.code, status: res.status }).toEqual({ code, status: 401 });
    }
  });

  it('When the user was deleted, then their token gets 401 AUTH_USER_UNKNOWN', async () => {
    const admin = await t.login(DEMO.admin);
    const created = await t.http
      .post('/v1/admin/users')
      .set(bearer(admin.accessToken))
      .send({ email: 'short.lived@casebook.dev', password: 'a-long-enough-password', roles: ['guest'] });
    expect(created.status).toBe(201);
    const doomed = await t.login('short.lived@casebook.dev', 'a-long-enough-password');
    expect((await me(doomed.accessToken)).status).toBe(200);
    expect((await t.http.delete(`/v1/admin/users/${created.body.id}`).set(bearer(admin.accessToken))).status).toBe(204);
    const res = await me(doomed.accessToken);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_USER_UNKNOWN');
  });

  it("When the token's authz_ver is older than the user's, then 401 AUTH_TOKEN_REVOKED", async () => {
    const stale = await signWithRealKey({ ...payload(token), authz_ver: 0 });
    const res = await me(stale);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_TOKEN_REVOKED');
  });

  it('When no token is sent to a protected route, then 401 AUTH_TOKEN_MISSING', async () => {
    const res = await t.http.get('/v1/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_TOKEN_MISSING');
  });
});
