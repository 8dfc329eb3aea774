import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// Q38.1: the cost model quotes measured figures; when the performance report changes, so must the model.
const ROOT = path.join(__dirname, '../..');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'scripts/cost-model.mjs'), ...args], { encoding: 'utf8' });
// The script is an ES module; its JSON output is what the tests read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const model = (...args: string[]): Record<string, any> => JSON.parse(run('--json', ...args).stdout);

describe('cost model (Q38.1)', () => {
  it('When the model quotes a per-core figure, then docs/performance.md says exactly that', () => {
    const source = readFileSync(path.join(ROOT, 'scripts/cost-model.mjs'), 'utf8');
    const performance = readFileSync(path.join(ROOT, 'docs/performance.md'), 'utf8');
    const quotes = [...source.matchAll(/quote: '((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]!.replace(/\\n/g, '\n'));
    expect(quotes.length).toBeGreaterThanOrEqual(7);
    for (const quote of quotes) expect(performance).toContain(quote);
  });

  it('When the model runs, then its totals are the sums of its parts and scale with the users', () => {
    const m = model();
    const cores = m.rows.reduce((sum: number, row: { cores: number }) => sum + row.cores, 0);
    expect(m.appCores).toBe(cores);
    expect(m.total).toBeCloseTo(m.monthly.computeAutoscaled + m.monthly.postgres + m.monthly.redis + m.monthly.llm, 6);
    expect(m.peakPerSecond).toBeCloseTo((1_000_000 * 10 * 0.12) / 3600, 6);
    const quarter = model('--dau', '250000');
    expect(quarter.monthly.llm).toBeCloseTo(m.monthly.llm / 4, 6);
    expect(quarter.appCores).toBeLessThan(m.appCores);
  });

  it('When docs/cost-model.md is read, then its tables are the script’s current output', () => {
    const page = readFileSync(path.join(ROOT, 'docs/cost-model.md'), 'utf8');
    const block = /<!-- cost-model:begin -->\n([\s\S]*?)\n<!-- cost-model:end -->/.exec(page)?.[1];
    expect(block?.trim()).toBe(run().stdout.trim());
  });
});
