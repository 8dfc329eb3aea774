import type { DataQuery } from '../questions/canonical-query';
import { buildAggregate } from './aggregate-sql';
import { DATASET } from './catalog';

describe('buildAggregate', () => {
  const query: DataQuery & { time: { from: string; to: string }; timeZone: string } = {
    dataset: DATASET,
    groupBy: ['month', 'region'],
    filters: { region: ['EMEA', 'AMER'] },
    time: { from: '2024-01-01T00:00:00Z', to: '2024-04-01T00:00:00Z' },
    timeZone: "Europe/Berlin'; DROP TABLE warehouse.fact_sales; --",
  };

  it('When a query has a zone, a range, filters and a keyset, then each value is bound once, in order, never in the text', () => {
    const statement = buildAggregate(query, 'fp-1', { after: ['2024-02', 'EMEA'], limit: 50 });
    expect(statement.values).toEqual([
      DATASET,
      'fp-1',
      query.timeZone,
      query.time.from,
      query.time.to,
      [1, 2],
      '2024-02',
      'EMEA',
      50,
    ]);
    const placeholders = [...statement.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
    expect(placeholders).toEqual(statement.values.map((_, i) => i + 1));
    expect(statement.text).not.toContain('DROP');
    expect(statement.text).not.toContain('EMEA');
  });

  it('When grouping by a time grain, then the bucket is grouped by its name and the rows ordered by their labels', () => {
    const { text } = buildAggregate(query, 'fp-1', { after: null, limit: 10 });
    expect(text).toContain('GROUP BY bucket, f.region_id');
    expect(text).toMatch(/ORDER BY "k0", "k1" LIMIT \$\d+$/);
  });

  it('When nothing is grouped or filtered, then there is no WHERE, GROUP BY or ORDER BY', () => {
    const { text, values } = buildAggregate(
      { dataset: DATASET, groupBy: [], filters: {}, time: null, timeZone: null },
      'fp-2',
      { after: null, limit: 1 },
    );
    expect(text).not.toMatch(/WHERE|GROUP BY|ORDER BY/);
    expect(values).toEqual([DATASET, 'fp-2', 1]);
  });
});
