import type { DataQuery } from '../questions/canonical-query';
import { WAREHOUSE_SCHEMA_VERSION } from '../warehouse/catalog';
import { queryKey, tagsForMember, tagsOf } from './query-key';

const base: DataQuery = {
  dataset: 'sales',
  groupBy: ['category', 'month'],
  filters: { region: ['EMEA'], segment: ['enterprise'] },
  time: { from: '2024-01-01T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z' },
  timeZone: 'UTC',
};

describe('query keys (Q11.1, Q11.4)', () => {
  it('When a key is built, then it is the schema version, the dataset and a fixed-length hash', () => {
    const key = queryKey(base, { region: null });

    expect(key).toMatch(new RegExp(`^qc:${WAREHOUSE_SCHEMA_VERSION}:sales:[A-Za-z0-9_-]{43}$`));
  });

  it('When only the caller’s scope differs, then the key differs (scope is part of the key)', () => {
    expect(queryKey(base, { region: 'EMEA' })).not.toBe(queryKey(base, { region: null }));
  });

  it('When every one of the five filters changes, then each gives its own key, with no collision', () => {
    const variants: DataQuery[] = [
      base,
      { ...base, time: { ...base.time!, to: '2024-03-01T00:00:00.000Z' } },
      { ...base, filters: { ...base.filters, category: ['toys'] } },
      { ...base, filters: { ...base.filters, region: ['APAC'] } },
      { ...base, filters: { ...base.filters, segment: ['smb'] } },
      { ...base, groupBy: ['category', 'week'] },
    ];

    expect(new Set(variants.map((v) => queryKey(v, { region: null }))).size).toBe(variants.length);
  });
});

describe('tags (Q20.3)', () => {
  it('When a dimension is filtered, then it is tagged per value; when not, with a wildcard tag', () => {
    expect(tagsOf(base)).toEqual(['dataset:sales', 'category:*', 'product:*', 'region:EMEA', 'segment:enterprise']);
  });

  it('When a member is invalidated, then both its own tag and the wildcard of its dimension are hit', () => {
    expect(tagsForMember('category', 'electronics')).toEqual(['category:electronics', 'category:*']);
  });
});
