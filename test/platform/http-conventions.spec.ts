import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IsInt, IsString, Max, MinLength } from 'class-validator';
import { AppModule, loadChatbotConfig } from '@casebook/chatbot-api';
import { LOGGER, type Logger, Public } from '@casebook/platform';
import { createTestApp, type TestApp, useTestEnvironment } from '@casebook/testing';

class EchoDto {
  @IsString()
  @MinLength(3)
  title!: string;

  @IsInt()
  @Max(10)
  rating!: number;
}

// Routes that exist only in this test, to make the platform fail in known ways.
@Public()
@Controller({ path: 'test-only', version: '1' })
class FailingController {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly db: DataSource,
  ) {}

  @Get('log-after-io')
  async logAfterIo() {
    await this.db.query('SELECT pg_sleep(0.01)');
    this.logger.info('handler finished its query');
    return { ok: true };
  }

  @Get('boom')
  boom(): never {
    throw new Error('connection to db-internal:5432 failed with password=hunter2');
  }

  @Post('echo')
  echo(@Body() body: EchoDto) {
    return body;
  }
}

const env = useTestEnvironment('chatbot-api');
let t: TestApp;

beforeAll(async () => {
  const config = loadChatbotConfig(env.env({ BODY_LIMIT_BYTES: '2048' }));
  t = await createTestApp({
    config,
    module: (c, logDestination) => AppModule.forRoot(c, { logDestination }),
    controllers: [FailingController],
  });
});
afterAll(() => t?.close());

describe('problem documents', () => {
  it('When a body fails validation, then 400 names every bad field in errors[]', async () => {
    const res = await t.http.post('/v1/test-only/echo').send({ title: 'x', rating: 99, extra: true });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'https://casebook.dev/problems/validation-failed',
      title: 'Bad request',
      status: 400,
      code: 'VALIDATION_FAILED',
      requestId: res.headers['x-request-id'],
      instance: '/v1/test-only/echo',
    });
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['extra', 'rating', 'title']);
  });

  it('When a query parameter has the wrong type, then 400 names it', async () => {
    const res = await t.http.get('/v1/intents?limit=abc');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'limit', message: expect.any(String) }]);
  });

  it('When a handler throws, then 500 carries an errorId, leaks nothing, and the error is logged with it', async () => {
    const res = await t.http.get('/v1/test-only/boom');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', errorId: expect.any(String) });
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/hunter2|db-internal|stack|at .*\.ts/);
    const logged = t.logs.find((line) => line.errorId === res.body.errorId);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.level).toBe('error');
    expect(JSON.stringify(logged[0]!.err)).toContain('hunter2');
  });

  it('When a route does not exist, then 404 is a problem document with the request id', async () => {
    const res = await t.http.get('/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND', requestId: expect.any(String) });
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });

  it('When the body is not JSON or too large, then 400 or 413 problems answer, never a 500', async () => {
    const malformed = await t.http.post('/v1/test-only/echo').set('content-type', 'application/json').send('{"title":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');
    const large = await t.http.post('/v1/test-only/echo').send({ title: 'x'.repeat(5_000), rating: 1 });
    expect(large.status).toBe(413);
    expect(large.body.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('request ids and logs', () => {
  it('When a client sends a well-formed X-Request-Id, then it is echoed and on the access log line', async () => {
    const res = await t.http.get('/v1/intents').set('x-request-id', 'client-req-42');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('client-req-42');
    const lines = t.logs.find((line) => line.requestId === 'client-req-42');
    expect(lines.some((line) => line.msg === 'request completed')).toBe(true);
  });

  it('When the X-Request-Id is malformed, then a new id replaces it', async () => {
    const res = await t.http.get('/health/live').set('x-request-id', 'bad id\twith spaces');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('When a handler logs after awaiting I/O, then the line carries the request id without it being passed', async () => {
    const res = await t.http.get('/v1/test-only/log-after-io').set('x-request-id', 'ctx-check-1');
    expect(res.status).toBe(200);
    const line = t.logs.find((l) => l.msg === 'handler finished its query');
    expect(line).toHaveLength(1);
    expect(line[0]!.requestId).toBe('ctx-check-1');
  });

  it('When a request carries credentials, then the log holds none of them', async () => {
    const token = 'eyJhbGciOiJFZERTQSJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJlLXNob3VsZC1uZXZlci1sb2c';
    await t.http
      .get('/v1/intents')
      .set('authorization', `Bearer ${token}`)
      .set('cookie', 'session=cookie-secret-value')
      .set('x-request-id', 'redaction-check');
    const line = t.logs.find((l) => l.requestId === 'redaction-check' && l.msg === 'request completed')[0];
    expect(line).toBeDefined();
    const headers = (line!.req as { headers: Record<string, string> }).headers;
    expect(headers.authorization).toBe('[redacted]');
    expect(headers.cookie).toBe('[redacted]');
    expect(t.logs.text()).not.toContain(token);
    expect(t.logs.text()).not.toContain('cookie-secret-value');
  });
});

describe('metrics, docs and headers', () => {
  it('When requests were served, then /metrics counts them per route template and status', async () => {
    await t.http.get('/v1/intents/sales_summary');
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/v1\/intents\/:name",status_code="(200|404)"/);
    expect(res.text).toContain('http_request_duration_seconds_bucket');
  });

  it('When /docs is requested, then the OpenAPI UI and JSON describe the versioned routes', async () => {
    expect((await t.http.get('/docs')).status).toBe(200);
    const json = await t.http.get('/docs-json');
    expect(json.status).toBe(200);
    expect(Object.keys(json.body.paths)).toContain('/v1/intents');
  });

  it('When any response is sent, then security headers are set and CORS is closed without an allowlist', async () => {
    const res = await t.http.get('/health/live').set('origin', 'https://evil.example');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
