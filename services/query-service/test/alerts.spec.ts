import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';

// Q17.2: the hit-ratio alert reads exactly the counters packages/cache registers, with the case-study threshold.
const ROOT = path.resolve(__dirname, '../../..');
const alerts = parseDocument(readFileSync(path.join(ROOT, 'infra/prometheus/alerts.yml'), 'utf8')).toJS() as {
  groups: { name: string; rules: { alert: string; expr: string; for: string }[] }[];
};
const metricsSource = readFileSync(path.join(ROOT, 'packages/cache/src/cache-metrics.ts'), 'utf8');

describe('query cache alert', () => {
  const rule = alerts.groups
    .find((g) => g.name === 'casebook-query-cache')
    ?.rules.find((r) => r.alert === 'QueryCacheHitRatioLow');

  it('When the hit ratio stays below 0.85 for 10 minutes, then QueryCacheHitRatioLow fires', () => {
    expect(rule).toBeDefined();
    expect(rule!.expr).toMatch(/\)\s*<\s*0\.85\s/);
    expect(rule!.for).toBe('10m');
  });

  it('When the alert reads a metric, then packages/cache registers it', () => {
    const used = [...rule!.expr.matchAll(/rate\(([a-z_:]+)/g)].map((m) => m[1]);

    expect(used.length).toBeGreaterThan(0);
    for (const metric of used) expect(metricsSource).toContain(`'${metric}'`);
  });
});
