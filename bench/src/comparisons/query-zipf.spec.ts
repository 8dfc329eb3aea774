import { APP_GUARD } from '@nestjs/core';
import { AppModule, DataVersions, loadQueryConfig, loadSales } from '@casebook/query-service';
import { createTestApp, type TestApp, useTestEnvironment, waitFor } from '@casebook/testing';
import { DataSource } from 'typeorm';
import { BenchPrincipal } from './bench-principal';
import { httpAsker, loadNow, questionIntents, QueryWorkload, type QueryZipfReport } from './query-zipf';

// Q19.1 on the real path, small: a few rounds of typed questions through a running query-service
// (parser, scoped keys, partial hits, loads through the change journal, warming), not the engine alone.
const env = useTestEnvironment('query-service');
let t: TestApp;
let report: QueryZipfReport;

beforeAll(async () => {
  t = await createTestApp({
    config: loadQueryConfig(env.env({ WARMING_ENABLED: 'true' })),
    module: (c, logDestination) => AppModule.forRoot(c, { logDestination, authentication: 'caller' }),
    providers: [{ provide: APP_GUARD, useClass: BenchPrincipal }],
  });
  await t.app.listen(0, '127.0.0.1');
  const db = t.app.get(DataSource);
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const seeded = await loadSales(db, { kind: 'full', rows: 6_000, from: new Date('2023-01-01T00:00:00Z'), to: hour });
  await waitFor(() => t.app.get(DataVersions).versionOf('sales') >= seeded.dataVersion, { timeoutMs: 15_000 });
  const url = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
  const workload = new QueryWorkload(
    { rounds: 3, questionsPerRound: 300, exponent: 1, scopedShare: 0.3, concurrency: 4, seed: 7 },
    httpAsker(url),
    loadNow(db, 200),
  );
  report = await workload.run();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('Q19.1 hit ratio on the real path', () => {
  it('When paraphrases of one question are asked, then they share cache keys (fewer keys than intents asked)', () => {
    expect(report.distinctKeys).toBeLessThan(report.distinctIntents);
    expect(report.distinctPhrasings).toBeGreaterThan(report.distinctIntents);
  });

  it('When several rounds of Zipf traffic run with a load before each, then most answers come from the cache', () => {
    expect(report.requests).toBe(1_200);
    expect(report.hitRatio).toBeGreaterThan(0.6);
    expect(report.loads).toBe(3);
  });

  it('When a question names two members whose single answers are cached, then it is a partial hit', () => {
    expect(report.partialHits).toBeGreaterThan(0);
  });

  it('When the loads land, then the questions about the current period are recomputed (misses after round 0)', () => {
    expect(report.misses).toBeGreaterThan(0);
    expect(report.hits + report.partialHits + report.misses).toBe(report.requests);
  });
});

describe('question intents', () => {
  it('When built with a seed, then every phrasing is distinct per intent and the order repeats', () => {
    const a = questionIntents(1);
    expect(questionIntents(1)).toEqual(a);
    expect(a.every((intent) => new Set(intent.phrasings).size === intent.phrasings.length)).toBe(true);
    expect(a.some((intent) => intent.volatile)).toBe(true);
  });
});
