import { Registry } from 'prom-client';
import { Metrics } from '../metrics';
import { bestEffort, bestEffortFailures, reportBestEffortTo } from './best-effort';

async function failuresOf(operation: string): Promise<number> {
  const { values } = await bestEffortFailures.get();
  return values.find((v) => v.labels.operation === operation)?.value ?? 0;
}

describe('bestEffort', () => {
  afterEach(() => reportBestEffortTo(undefined));

  it('When the work succeeds, then its value comes back and nothing is counted', async () => {
    const before = await failuresOf('test.success');
    await expect(bestEffort(Promise.resolve('ok'), 'test.success')).resolves.toBe('ok');
    expect(await failuresOf('test.success')).toBe(before);
  });

  it('When the work fails, then it resolves to the fallback, counts the failure and logs it at debug without credentials', async () => {
    const lines: Array<{ object: object; message: string }> = [];
    reportBestEffortTo({ debug: (object, message) => lines.push({ object, message }) });
    const before = await failuresOf('test.failure');

    const result = await bestEffort(
      Promise.reject(new Error('connect to redis://admin:hunter2@cache:6379 refused')),
      'test.failure',
      null,
    );

    expect(result).toBeNull();
    expect(await failuresOf('test.failure')).toBe(before + 1);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.object).toMatchObject({ operation: 'test.failure', error: { name: 'Error' } });
    expect(JSON.stringify(lines[0]!.object)).not.toContain('hunter2');
  });

  it('When the work function throws synchronously, then it still resolves and is counted', async () => {
    const before = await failuresOf('test.throws');
    const result = await bestEffort(() => {
      throw new Error('boom');
    }, 'test.throws');
    expect(result).toBeUndefined();
    expect(await failuresOf('test.throws')).toBe(before + 1);
  });

  it('When a service builds its Metrics, then the failure counter is on its registry', async () => {
    const metrics = new Metrics('best-effort-test', { defaultMetrics: false });
    await bestEffort(Promise.reject(new Error('x')), 'test.registry');
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/best_effort_failures_total\{operation="test.registry",service="best-effort-test"\} [1-9]/);
    expect(new Registry().getSingleMetric('best_effort_failures_total')).toBeUndefined();
  });
});
