import { performance } from 'node:perf_hooks';
import {
  compileRules,
  repeatCounts,
  RuleCompileError,
  RuleProblemCode,
  scanRegexes,
  type RuleProblem,
} from '../src/rules';

function regexRuleSet(patterns: string[]): Parameters<typeof compileRules>[0] {
  return [
    {
      id: 'redos',
      region: 'default',
      rules: patterns.map((pattern, i) => ({
        id: `p${i}`,
        action: 'block' as const,
        match: { kind: 'regex' as const, pattern },
      })),
    },
  ];
}

function refusal(pattern: string, limits = {}): RuleProblem {
  try {
    compileRules(regexRuleSet([pattern]), limits);
  } catch (error) {
    if (error instanceof RuleCompileError) return error.problems[0]!;
    throw error;
  }
  throw new Error(`expected ${pattern} to be refused`);
}

/** Best of three, after a warm-up run, so a busy machine inflates neither side of the ratio. */
function fastestRun(run: () => void): number {
  run();
  let best = Infinity;
  for (let i = 0; i < 3; i += 1) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

describe('ReDoS policy (Q24.2)', () => {
  it.each(['(a+)+$', '(a|aa)+', '(.*a){20}'])(
    'When %s runs over 50k and 100k "a"s plus a "b", then the work grows linearly',
    (pattern) => {
      const compiled = compileRules(regexRuleSet([pattern]));
      const text = (n: number): string => `${'a'.repeat(n)}b`;
      const small = text(50_000);
      const large = text(100_000);
      const hits = scanRegexes(compiled, ['default'], 'input', small);
      expect(hits.length).toBeLessThanOrEqual(compiled.limits.maxHitsPerRule);
      const t50 = fastestRun(() => scanRegexes(compiled, ['default'], 'input', small));
      const t100 = fastestRun(() => scanRegexes(compiled, ['default'], 'input', large));
      // Twice the text should take about twice the time; a backtracking engine would take 2^n longer.
      expect(t100 / Math.max(t50, 0.5)).toBeLessThan(4);
    },
  );

  it('When a pattern uses a backreference, then it is refused naming the pattern and the reason', () => {
    const problem = refusal(String.raw`(a)\1`);
    expect(problem).toMatchObject({
      code: RuleProblemCode.RegexUnsupported,
      pattern: String.raw`(a)\1`,
      field: 'match.pattern',
      ruleId: 'p0',
    });
    expect(problem.reason).toMatch(/backreferences are not supported/);
  });

  it.each(['(?=a)', '(?!a)b', '(?<=a)b', '(?<!a)b'])(
    'When a pattern uses lookaround %s, then it is refused',
    (pattern) => {
      const problem = refusal(pattern);
      expect(problem).toMatchObject({ code: RuleProblemCode.RegexUnsupported, pattern });
      expect(problem.reason).toMatch(/lookahead\/lookbehind is not supported/);
    },
  );

  it('When a pattern is longer than the limit, then it is refused naming the limit', () => {
    const pattern = 'a'.repeat(1_001);
    expect(refusal(pattern)).toMatchObject({ code: RuleProblemCode.RegexLimit, pattern });
    expect(refusal(pattern).reason).toContain('limit of 1000');
  });

  it.each([
    ['a{1001}', 'repeat count 1001 is over the limit of 100'],
    ['a{101}', 'repeat count 101 is over the limit of 100'],
    ['x{2,500}', 'repeat count 500 is over the limit of 100'],
    ['((.*a){20}){50}', 'nested repeats expand to 1000 copies, over the limit of 500'],
    ['(?:(?:[a-z]{10}){10}){10}', 'nested repeats expand to 1000 copies, over the limit of 500'],
  ])('When %s exceeds a repeat limit, then it is refused with the limit named', (pattern, reason) => {
    expect(refusal(pattern)).toMatchObject({ code: RuleProblemCode.RegexLimit, pattern, reason });
  });

  it('When the compiled program is over the size limit, then it is refused', () => {
    const problem = refusal('(abc|def|ghi){10}', { maxProgramSize: 50 });
    expect(problem.code).toBe(RuleProblemCode.RegexLimit);
    expect(problem.reason).toMatch(/compiled program has \d+ instructions, over the limit of 50/);
  });

  it('When a pattern matches the empty string or does not parse, then it is refused', () => {
    expect(refusal('x*')).toMatchObject({
      code: RuleProblemCode.RegexUnsupported,
      reason: expect.stringContaining('empty string'),
    });
    expect(refusal('[a-')).toMatchObject({ code: RuleProblemCode.RegexSyntax, pattern: '[a-' });
  });

  it('When several patterns are bad, then every one is reported in one error', () => {
    expect(() => compileRules(regexRuleSet([String.raw`(a)\1`, 'ok', '(?=a)', 'a{1001}']))).toThrow(
      expect.objectContaining({
        problems: [
          expect.objectContaining({ ruleId: 'p0' }),
          expect.objectContaining({ ruleId: 'p2' }),
          expect.objectContaining({ ruleId: 'p3' }),
        ],
      }),
    );
  });

  it.each([
    ['abc', 0, 1],
    [String.raw`\d{3}-\d{2}-\d{4}`, 4, 4],
    ['(?:[a-z]{2,10}\\.){1,5}', 10, 50],
    [String.raw`a\{50}`, 0, 1],
    ['[{]{3}', 3, 3],
    [String.raw`\p{Greek}{7}`, 7, 7],
    ['(a{3}|b{5}){2}', 5, 10],
    ['a{,5}', 0, 1],
  ])(
    'When counting repeats of %s, then the largest count and nested product are found',
    (pattern, maxCount, maxProduct) => {
      expect(repeatCounts(pattern)).toEqual({ maxCount, maxProduct });
    },
  );
});
