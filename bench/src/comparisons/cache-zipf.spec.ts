import { seededRandom } from '@casebook/ml';
import { DEFAULT_ZIPF, ZipfSimulation, zipfSampler } from './cache-zipf';

describe('Zipf workload with hourly loads', () => {
  it('When ranks are drawn, then rank 1 is about twice as frequent as rank 2 (s = 1)', () => {
    const draw = zipfSampler(10_000, 1, seededRandom(7));
    const counts = [0, 0];
    for (let i = 0; i < 200_000; i += 1) {
      const rank = draw();
      if (rank < 2) counts[rank]! += 1;
    }

    expect(counts[0]! / counts[1]!).toBeGreaterThan(1.8);
    expect(counts[0]! / counts[1]!).toBeLessThan(2.2);
  });

  it('When two simulated days run through the engine, then the steady hit ratio is at least 0.9', async () => {
    const simulation = new ZipfSimulation({ ...DEFAULT_ZIPF, requestsPerHour: 4_000 });

    const report = await simulation.run(48 * 4_000);
    await simulation.cache.close();

    expect(report.steadyHitRatio).toBeGreaterThanOrEqual(0.9);
    expect(report.warehouseQueries).toBeLessThan(report.warehouseQueriesWithoutCache * 0.15);
  });
});
