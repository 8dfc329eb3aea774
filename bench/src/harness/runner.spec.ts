import { inProcessGenerator } from './generator';
import { detectPinning } from './pinning';
import { runComparison } from './run-comparison';
import type { BenchOptions, Comparison, HttpContender } from './types';

// A node:http server in its own process, started the way the harness starts every server.
const TINY_SERVER = `
  const http = require('node:http');
  http.createServer((req, res) => res.end(req.url === '/ready' ? 'ready' : 'hello'))
    .listen(Number(process.env.PORT), process.env.HOST);
`;

function tinyServer(overrides: Partial<HttpContender> = {}): HttpContender {
  return {
    kind: 'http',
    name: 'tiny',
    label: 'node:http in a child process',
    server: { command: process.execPath, args: ['-e', TINY_SERVER] },
    readyPath: '/ready',
    path: '/',
    ...overrides,
  };
}

const OPTIONS: BenchOptions = { durationS: 0.5, runs: 2, warmupS: 0.2, connections: 4, mode: 'saturation', pin: false };

describe('runComparison', () => {
  it('When contenders run, fail to start or are unavailable, then each is measured or skipped with its reason', async () => {
    let calls = 0;
    const comparison: Comparison = {
      name: 'test',
      title: 'Test',
      description: 'Harness self-test.',
      reference: 'tiny',
      contenders: [
        tinyServer(),
        tinyServer({
          name: 'crash',
          server: { command: process.execPath, args: ['-e', 'console.error("boom"); process.exit(3)'] },
        }),
        tinyServer({ name: 'absent', skipReason: 'dist/main.js not found' }),
        {
          kind: 'function',
          name: 'noop',
          label: 'resolved promise',
          concurrency: 2,
          prepare: async () => ({
            call: async () => {
              calls += 1;
            },
          }),
        },
      ],
    };
    const lines: string[] = [];

    const result = await runComparison({
      comparison,
      options: OPTIONS,
      generator: inProcessGenerator(),
      pinning: detectPinning(false),
      command: 'test',
      log: (line) => lines.push(line),
    });

    const byName = new Map(result.contenders.map((contender) => [contender.name, contender]));
    const tiny = byName.get('tiny');
    expect(tiny?.status).toBe('measured');
    expect(tiny?.samples).toHaveLength(2);
    expect(tiny?.requestsPerSecond?.median).toBeGreaterThan(100);
    expect(tiny?.p95Ms?.median).toBeGreaterThan(0);
    expect(tiny?.samples.every((sample) => sample.errors === 0)).toBe(true);
    expect(tiny?.ratioToReference).toBe(1);

    expect(byName.get('crash')).toMatchObject({ status: 'skipped' });
    expect(byName.get('crash')?.skipReason).toMatch(/exited \(3\) before ready.*boom/);
    expect(byName.get('absent')).toMatchObject({ status: 'skipped', skipReason: 'dist/main.js not found' });

    const noop = byName.get('noop');
    expect(noop?.status).toBe('measured');
    expect(calls).toBeGreaterThan(1_000);
    expect(noop?.ratioToReference).toBeGreaterThan(0);
    expect(result.environment.pinning).toBe('none (--no-pin)');
    expect(lines.some((line) => line.includes('tiny run 2/2'))).toBe(true);
  });
});
