import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoadReport } from './report';
import { EXIT_THRESHOLD_FAILED, main } from './run';
import { runScenario } from './run-scenario';
import type { Scenario } from './scenario';

interface TinyServer {
  server: Server;
  baseUrl: string;
  served: () => number;
  /** `n` of every authorised POST /messages body. */
  messageNumbers: Set<number>;
}

// A stand-in for a service: /health/live, a login handing out a token, and a route that requires it.
function startTinyServer(): Promise<TinyServer> {
  let served = 0;
  const messageNumbers = new Set<number>();
  const server = createServer((request, response) => {
    served += 1;
    const reply = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.url === '/health/live') return reply(200, { status: 'ok' });
    if (request.method === 'POST' && request.url === '/auth/login') return reply(201, { accessToken: 'secret-token' });
    if (request.method === 'POST' && request.url === '/messages') {
      if (request.headers.authorization !== 'Bearer secret-token') return reply(401, {});
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        messageNumbers.add((JSON.parse(body) as { n: number }).n);
        reply(201, { ok: true });
      });
      return;
    }
    reply(404, {});
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, baseUrl: `http://127.0.0.1:${port}`, served: () => served, messageNumbers });
    });
  });
}

const silent = { log: () => undefined, error: () => undefined };

describe('load driver against a local server', () => {
  let server: Server;
  let baseUrl: string;
  let served: () => number;
  let messageNumbers: Set<number>;
  let outDir: string;

  beforeAll(async () => {
    ({ server, baseUrl, served, messageNumbers } = await startTinyServer());
    outDir = await mkdtemp(path.join(tmpdir(), 'load-run-'));
  });

  afterAll(async () => {
    server.close();
    await once(server, 'close');
    await rm(outDir, { recursive: true, force: true });
  });

  it('When a scenario runs in rate mode, then requests are made at about the rate and p95 is reported', async () => {
    const scenario: Scenario = {
      name: 'tiny',
      description: 'test',
      service: 'tiny',
      baseUrl,
      requests: [{ method: 'GET', path: '/health/live' }],
      arrival: { rate: 100, duration: 1 },
      thresholds: { p95Ms: 1_000, errorRate: 0 },
    };
    const before = served();

    const report = await runScenario({ scenario, mode: 'rate', command: 'test' });

    expect(report.passed).toBe(true);
    expect(report.result.requests.completed).toBeGreaterThan(50);
    // The rate caps the run: one second at 100/s cannot produce thousands of requests.
    expect(report.result.requests.completed).toBeLessThanOrEqual(250);
    expect(served() - before).toBeGreaterThanOrEqual(report.result.requests.completed);
    expect(report.result.latencyMs.p95).toBeGreaterThan(0);
    expect(report.result.latencyMs.p95).toBeLessThanOrEqual(report.result.latencyMs.max);
    expect(report.result.statusCodes).toEqual({ '200': report.result.requests.completed });
  });

  it('When the responses are unexpected statuses, then they count as errors and fail errorRate', async () => {
    const scenario: Scenario = {
      name: 'tiny-404',
      description: 'test',
      service: 'tiny',
      baseUrl,
      requests: [{ method: 'GET', path: '/missing' }],
      arrival: { rate: 50, duration: 0.5 },
      thresholds: { errorRate: 0 },
    };

    const report = await runScenario({ scenario, mode: 'saturation', connections: 2, command: 'test' });

    expect(report.result.errors.unexpectedStatus).toBe(report.result.requests.completed);
    expect(report.result.errors.rate).toBe(1);
    expect(report.passed).toBe(false);
  });

  it('When a scenario logs in during setup, then every request carries the token and is built per iteration', async () => {
    const scenario: Scenario<{ token: string }> = {
      name: 'tiny-login',
      description: 'test',
      service: 'tiny',
      baseUrl,
      setup: [
        {
          request: { method: 'POST', path: '/auth/login', body: { user: 'u' } },
          extract: (res) => ({ token: (JSON.parse(res.body) as { accessToken: string }).accessToken }),
        },
      ],
      requests: (ctx, iteration) => [
        {
          method: 'POST',
          path: '/messages',
          headers: { authorization: `Bearer ${ctx.token}` },
          body: { n: iteration },
        },
      ],
      arrival: { rate: 50, duration: 0.5 },
      thresholds: { errorRate: 0 },
    };

    const report = await runScenario({ scenario, mode: 'saturation', connections: 2, command: 'test' });

    expect(report.result.requests.completed).toBeGreaterThan(10);
    expect(report.result.statusCodes).toEqual({ '201': report.result.requests.completed });
    expect(report.passed).toBe(true);
    // Each iteration built its own body.
    expect(messageNumbers.size).toBeGreaterThan(10);
  });

  it('When the CLI runs a scenario file with an impossible threshold, then it exits non-zero and says so', async () => {
    const exitCode = await main(
      [
        '--scenario',
        'health-chatbot-api',
        '--base-url',
        baseUrl,
        '--mode',
        'rate',
        '--rate',
        '100',
        '--duration',
        '1',
        '--p95-ms',
        '0',
        '--out',
        outDir,
      ],
      silent,
    );

    expect(exitCode).toBe(EXIT_THRESHOLD_FAILED);
    const files = await readdir(outDir);
    const jsonFile = files.find((file) => file.endsWith('.json'));
    expect(files.some((file) => file.endsWith('.md'))).toBe(true);
    const report = JSON.parse(await readFile(path.join(outDir, jsonFile ?? ''), 'utf8')) as LoadReport;
    expect(report.passed).toBe(false);
    expect(report.thresholds.find((outcome) => outcome.name === 'p95Ms')).toMatchObject({ limit: 0, passed: false });
    expect(report.result.requests.completed).toBeGreaterThan(0);
  });
});
