import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runScenario } from './run-scenario';
import type { Scenario } from './scenario';

// A stand-in for "post a question, follow its event stream": POST /jobs answers 202 with a new id,
// GET /jobs/:id/events holds the response for 40 ms and ends it with `done`, or `failed` for every fifth job.
// POST /users answers 409 from the second time on, like creating a load user that exists.
const HOLD_MS = 40;

interface JobServer {
  server: Server;
  baseUrl: string;
  followed: string[];
}

function startJobServer(): Promise<JobServer> {
  let next = 0;
  let users = 0;
  const followed: string[] = [];
  const server = createServer((request, response) => {
    if (request.method === 'POST' && request.url === '/users') {
      users += 1;
      response.writeHead(users === 1 ? 201 : 409).end();
      return;
    }
    if (request.method === 'POST' && request.url === '/jobs') {
      next += 1;
      response
        .writeHead(202, { 'content-type': 'application/json' })
        .end(JSON.stringify({ reply: { id: `j${next}` } }));
      return;
    }
    const match = /^\/jobs\/(j\d+)\/events$/.exec(request.url ?? '');
    if (request.method === 'GET' && match) {
      const id = match[1]!;
      followed.push(id);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('retry: 2000\n\n');
      setTimeout(() => {
        const failed = Number(id.slice(1)) % 5 === 0;
        response.end(`id: 1\nevent: ${failed ? 'failed' : 'done'}\ndata: {}\n\n`);
      }, HOLD_MS);
      return;
    }
    response.writeHead(404).end();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, baseUrl: `http://127.0.0.1:${port}`, followed });
    });
  });
}

describe('journey scenarios (dependent requests, measured end to end)', () => {
  let jobs: JobServer;

  beforeAll(async () => {
    jobs = await startJobServer();
  });
  afterAll(async () => {
    jobs.server.close();
    await once(jobs.server, 'close');
  });

  function scenario(): Scenario<{ created: string }> {
    return {
      name: 'jobs',
      description: 'post a job, follow its events',
      service: 'jobs',
      baseUrl: jobs.baseUrl,
      setup: [
        { request: { method: 'POST', path: '/users' }, acceptStatus: [201, 409], extract: () => ({ created: 'yes' }) },
        { request: { method: 'POST', path: '/users' }, acceptStatus: [201, 409] },
      ],
      journey: [
        {
          request: () => ({ method: 'POST', path: '/jobs' }),
          expectedStatus: { min: 202, max: 202 },
          extract: (res) => ({ id: (JSON.parse(res.body) as { reply: { id: string } }).reply.id }),
        },
        {
          request: (_ctx, _iteration, state) => ({ method: 'GET', path: `/jobs/${state.id}/events` }),
          check: (res) => res.body.includes('\nevent: done\n'),
        },
      ],
      arrival: { rate: 50, duration: 1 },
      thresholds: { p95Ms: 2_000, errorRate: 0.25 },
    };
  }

  it('When a journey runs, then each iteration follows the id its first step got and is timed to the end of the stream', async () => {
    const report = await runScenario({ scenario: scenario(), mode: 'rate', command: 'test' });

    expect(report.result.requests.completed).toBe(50);
    // Every job posted was followed exactly once, by the iteration that posted it.
    expect(new Set(jobs.followed).size).toBe(50);
    expect(jobs.followed).toHaveLength(50);
    // The whole iteration, including the 40 ms the stream stayed open, not the first response alone.
    expect(report.result.latencyMs.min).toBeGreaterThanOrEqual(HOLD_MS);
  });

  it('When a stream ends in `failed`, then its iteration counts as an error even though the status was 200', async () => {
    const report = await runScenario({ scenario: scenario(), mode: 'rate', command: 'test', rate: 20 });

    expect(report.result.errors.unexpectedStatus).toBe(4);
    expect(report.result.errors.rate).toBeCloseTo(4 / 20);
    expect(report.passed).toBe(true);
    const strict = await runScenario({
      scenario: scenario(),
      mode: 'rate',
      command: 'test',
      rate: 10,
      thresholds: { errorRate: 0 },
    });
    expect(strict.passed).toBe(false);
  });

  it('When a journey scenario is asked for saturation mode, then it refuses (arrivals are open-model only)', async () => {
    await expect(runScenario({ scenario: scenario(), mode: 'saturation', command: 'test' })).rejects.toThrow(
      /rate mode/,
    );
  });
});
