import {
  type CanActivate,
  Controller,
  type DynamicModule,
  type ExecutionContext,
  Get,
  Injectable,
  Module,
  Post,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  baseConfigSchema,
  type BaseConfig,
  type DestinationStream,
  loadConfig,
  PlatformModule,
  Public,
} from '@casebook/platform';
import { createTestApp, type TestApp, TEST_REDIS_URL, waitFor } from '@casebook/testing';
import type { FastifyRequest } from 'fastify';
import { RateLimit, RateLimiter, RateLimitModule, SkipRateLimit } from '../src';
import { someUser, testOptions, useLimiters } from './support';

const limiters = useLimiters(); // only for its key prefix and the cleanup of the shared Redis

/**
 * Stands in for the auth guard: sets `request.principal` from `X-Test-Principal: <kind>:<id>:<role,role>`.
 * Registered in the root module, so it runs before the rate-limit guard, as the real auth guard must.
 */
@Injectable()
class FakeAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers['x-test-principal'];
    if (typeof header === 'string') {
      const [kind, id, roles] = header.split(':') as ['user' | 'api_key', string, string];
      request.principal = { kind, id, roles: roles.split(',') };
    }
    return true;
  }
}

let releaseSlow: () => void = () => undefined;
let slowEntered = 0;

@Public()
@Controller({ path: 'items', version: '1' })
class ItemsController {
  @Get()
  list() {
    return { data: [] };
  }

  @Post('chat')
  @RateLimit('chat:send')
  chat() {
    return { queued: true };
  }

  @Post('login')
  @RateLimit('auth:login')
  login() {
    return { ok: true };
  }

  @Get('slow')
  @RateLimit('slow')
  async slow() {
    slowEntered += 1;
    await new Promise<void>((resolve) => (releaseSlow = resolve));
    return { done: true };
  }

  @Get('free')
  @SkipRateLimit()
  free() {
    return { free: true };
  }
}

const options = testOptions({
  tiers: [
    { name: 'admin', rate: { limit: 600, windowSeconds: 60, burst: 100 } },
    { name: 'analyst', rate: { limit: 60, windowSeconds: 60, burst: 20 } },
    // One unit per second, burst 5: a rejected guest waits about a second.
    { name: 'guest', rate: { limit: 10, windowSeconds: 10, burst: 5 }, concurrency: 1 },
  ],
  defaultTier: 'guest',
  ip: { limit: 1000, windowSeconds: 60 },
  routes: {
    'chat:send': { cost: 5 },
    'auth:login': { bucket: 'login', user: false, ip: { limit: 2, windowSeconds: 600 } },
    slow: { concurrency: true, cost: 0 },
  },
  trustedProxies: ['127.0.0.1', '::1'],
  retryJitterSeconds: 1,
});

@Module({})
class TestAppModule {
  static forRoot(config: BaseConfig, logDestination: DestinationStream): DynamicModule {
    return {
      module: TestAppModule,
      imports: [
        PlatformModule.forRoot({ service: 'rate-limit-test', config, redis: true, logDestination }),
        RateLimitModule.forRoot({ options }),
      ],
      controllers: [ItemsController],
      providers: [{ provide: APP_GUARD, useClass: FakeAuthGuard }],
    };
  }
}

let t: TestApp;
beforeAll(async () => {
  const config = loadConfig(baseConfigSchema({ port: 0, database: 'casebook_unused' }), {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: limiters.prefix,
    DOCS_ENABLED: 'false',
  });
  t = await createTestApp({ config, module: TestAppModule.forRoot });
  const redis = t.app.get(RateLimiter);
  await waitFor(async () => (await redis.check({ ip: '192.0.2.1', cost: 0 })).backend === 'redis', {
    message: 'the app never reached Redis',
  });
});
afterAll(() => t?.close());

const as = (roles: string, id = someUser().id) => `user:${id}:${roles}`;

/** `"user";r=19;t=1, "ip";r=999` → { user: { r: 19, t: 1 }, ip: { r: 999 } } */
function parseList(header: string | undefined): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const item of (header ?? '').split(/,\s*/).filter(Boolean)) {
    const [name, ...params] = item.split(';');
    out[JSON.parse(name!)] = Object.fromEntries(params.map((param) => param.split('=') as [string, string]));
  }
  return out;
}

describe('HTTP: guard, headers and 429 (draft-ietf-httpapi-ratelimit-headers)', () => {
  it('When an analyst calls a route, then 2xx carries RateLimit-Policy and RateLimit, and r counts down', async () => {
    const who = as('analyst');
    const first = await t.http.get('/v1/items').set('x-test-principal', who);
    expect(first.status).toBe(200);
    expect(first.headers['ratelimit-policy']).toBe('"user";q=60;w=60;casebook-burst=20, "ip";q=1000;w=60');
    expect(parseList(first.headers.ratelimit).user).toEqual({ r: '19', t: '1' });
    const second = await t.http.get('/v1/items').set('x-test-principal', who);
    expect(parseList(second.headers.ratelimit).user!.r).toBe('18');
  });

  it('When an admin and a guest call, then each sees its own tier’s quota (Q5.2)', async () => {
    const admin = await t.http.get('/v1/items').set('x-test-principal', as('guest,admin'));
    const guest = await t.http.get('/v1/items').set('x-test-principal', as('guest'));
    expect(parseList(admin.headers['ratelimit-policy']).user).toMatchObject({ q: '600', 'casebook-burst': '100' });
    expect(parseList(guest.headers['ratelimit-policy']).user).toMatchObject({
      q: '10',
      w: '10',
      'casebook-burst': '5',
    });
  });

  it('When a chat message costs 5, then it takes 5 units from the quota list calls use', async () => {
    const who = as('analyst');
    const chat = await t.http.post('/v1/items/chat').set('x-test-principal', who);
    expect(chat.status).toBe(201);
    expect(parseList(chat.headers.ratelimit).user!.r).toBe('15');
  });

  it('When a guest exceeds its quota, then 429 is a problem document with RateLimit headers and a Retry-After that is long enough', async () => {
    const who = as('guest');
    for (let i = 0; i < 5; i += 1)
      expect((await t.http.get('/v1/items').set('x-test-principal', who)).status).toBe(200);
    const rejected = await t.http.get('/v1/items').set('x-test-principal', who);
    const rejectedAt = Date.now();

    expect(rejected.status).toBe(429);
    expect(rejected.headers['content-type']).toContain('application/problem+json');
    expect(rejected.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', 'violated-policies': ['user'] });
    expect(rejected.headers['ratelimit-policy']).toContain('"user";q=10;w=10;casebook-burst=5');
    const limit = parseList(rejected.headers.ratelimit).user!;
    expect(limit.r).toBe('0');
    const retryAfter = Number(rejected.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    // One unit per second comes back: the real wait is at most 1 s; jitter adds at most 1 s.
    expect(retryAfter).toBeGreaterThanOrEqual(Number(limit.t));
    expect(retryAfter).toBeLessThanOrEqual(2);

    // A client that honours Retry-After is admitted: Retry-After is never shorter than the real wait.
    await waitFor(() => Date.now() >= rejectedAt + retryAfter * 1000, { timeoutMs: retryAfter * 1000 + 1000 });
    expect((await t.http.get('/v1/items').set('x-test-principal', who)).status).toBe(200);
  });

  it('When a guest already has a request in flight, then the next is 429 until the first completes', async () => {
    const who = as('guest');
    slowEntered = 0;
    const first = t.http
      .get('/v1/items/slow')
      .set('x-test-principal', who)
      .then((res) => res);
    await waitFor(() => slowEntered === 1, { message: 'the first slow request never reached its handler' });
    const second = await t.http.get('/v1/items/slow').set('x-test-principal', who);
    expect(second.status).toBe(429);
    expect(second.body['violated-policies']).toEqual(['concurrency']);
    expect(second.headers['ratelimit-policy']).toContain('"concurrency";q=1;qu="concurrent-requests"');
    expect(parseList(second.headers.ratelimit).concurrency).toEqual({ r: '0' });

    releaseSlow();
    expect((await first).status).toBe(200);
    slowEntered = 0;
    const third = t.http
      .get('/v1/items/slow')
      .set('x-test-principal', who)
      .then((res) => res);
    await waitFor(() => slowEntered === 1, { message: 'the slot was not given back when the response closed' });
    releaseSlow();
    expect((await third).status).toBe(200);
  });

  it('When anonymous logins come through a trusted proxy, then each client IP from X-Forwarded-For has its own quota', async () => {
    const login = (ip: string) => t.http.post('/v1/items/login').set('x-forwarded-for', `198.51.100.99, ${ip}`);
    expect((await login('203.0.113.1')).status).toBe(201);
    const second = await login('203.0.113.1');
    expect(second.status).toBe(201);
    expect(second.headers.ratelimit).toMatch(/^"login-ip";r=0;t=\d+$/);
    expect((await login('203.0.113.1')).status).toBe(429);
    // Another client behind the same proxy is not affected; the forged left-hand entry is ignored.
    expect((await login('203.0.113.2')).status).toBe(201);
  });

  it('When a user is penalised, then the advertised quota shrinks by the factor (Q30.3)', async () => {
    const id = someUser().id;
    await t.app.get(RateLimiter).penalize({ kind: 'user', id }, 4, 60);
    const res = await t.http.get('/v1/items').set('x-test-principal', as('analyst', id));
    expect(parseList(res.headers['ratelimit-policy']).user).toMatchObject({ q: '15', 'casebook-burst': '5' });
  });

  it('When a route skips rate limiting or is a probe, then it has no RateLimit headers', async () => {
    expect((await t.http.get('/v1/items/free')).headers.ratelimit).toBeUndefined();
    const live = await t.http.get('/health/live');
    expect(live.status).toBe(200);
    expect(live.headers.ratelimit).toBeUndefined();
  });

  it('When decisions are made, then /metrics counts them per route, decision and backend, and refusals per level', async () => {
    const metrics = (await t.http.get('/metrics')).text;
    expect(metrics).toMatch(
      /rate_limit_decisions_total\{route="default",decision="rejected",backend="redis",service="rate-limit-test"\} [1-9]/,
    );
    expect(metrics).toMatch(/rate_limit_level_rejections_total\{level="concurrency",service="rate-limit-test"\} [1-9]/);
  });
});
