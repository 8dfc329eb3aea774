import { CacheKeys, hashOf, shouldRefreshEarly, stableStringify } from '../src';

describe('stable keys', () => {
  it('When two objects differ only in key order, then they have the same text and hash', () => {
    const a = { filters: { region: ['EMEA'], category: ['toys'] }, groupBy: ['month'] };
    const b = { groupBy: ['month'], filters: { category: ['toys'], region: ['EMEA'] } };

    expect(stableStringify(a)).toBe(stableStringify(b));
    expect(hashOf(a)).toBe(hashOf(b));
    expect(hashOf(a)).not.toBe(hashOf({ ...a, groupBy: ['day'] }));
  });

  it('When keys are built, then entry and lease share one Redis Cluster hash tag and tags get their own', () => {
    const keys = new CacheKeys('query');

    expect(keys.entry('qc:1:sales:abc')).toBe('query:{qc:1:sales:abc}');
    expect(keys.lease('qc:1:sales:abc')).toBe('query:{qc:1:sales:abc}:lease');
    expect(keys.tag('category:toys')).toBe('query:tag:{category:toys}');
    expect(() => CacheKeys.assertLogicalKey('a{b}')).toThrow(/no braces/);
  });
});

describe('XFetch', () => {
  const base = { expiresAt: 10_000, costMs: 500, beta: 1 };

  it('When expiry is far away compared with the recompute cost, then it almost never refreshes early', () => {
    const early = Array.from({ length: 1_000 }, (_, i) =>
      shouldRefreshEarly({ ...base, now: 0, random: () => (i + 1) / 1_001 }),
    ).filter(Boolean).length;

    expect(early).toBe(0);
  });

  it('When expiry is one recompute away, then a good share of callers refresh early', () => {
    const early = Array.from({ length: 1_000 }, (_, i) =>
      shouldRefreshEarly({ ...base, now: 9_500, random: () => (i + 1) / 1_001 }),
    ).filter(Boolean).length;

    // P(-ln U >= 1) = 1/e.
    expect(early).toBeGreaterThan(300);
    expect(early).toBeLessThan(440);
  });
});
