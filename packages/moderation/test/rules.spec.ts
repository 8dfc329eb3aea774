import {
  adjustThresholds,
  compileRules,
  decide,
  keywordLists,
  referencedWordLists,
  resolveRegions,
  RuleCompileError,
  RuleProblemCode,
  scanRegexes,
  type CompiledRules,
  type DecisionInput,
  type RuleSetDefinition,
} from '../src/rules';
import { DEFAULT_RULE_SETS, defaultRuleSets, FALLBACK_CATEGORY_THRESHOLDS } from '../src/rulesets';
import { EMPTY_CONVERSATION, type ConversationSummary, type ModerationContext } from '../src/types';

const shipped = compileRules(DEFAULT_RULE_SETS);

function buildInput(overrides: Partial<DecisionInput> & { context?: ModerationContext } = {}): DecisionInput {
  return {
    regions: ['default'],
    direction: 'output',
    context: { now: Date.UTC(2024, 0, 1) },
    textLength: 100,
    ...overrides,
  };
}

function conversationWith(flags: string[]): ConversationSummary {
  return { ...EMPTY_CONVERSATION, turns: 1, flags };
}

function compileError(definitions: unknown[]): RuleCompileError {
  try {
    compileRules(definitions as RuleSetDefinition[]);
  } catch (error) {
    if (error instanceof RuleCompileError) return error;
    throw error;
  }
  throw new Error('expected a RuleCompileError');
}

describe('rule schema and compilation', () => {
  it('When the shipped rule sets compile, then every region has a set and named lists are reported', () => {
    expect(shipped.regions).toEqual(['default', 'BR', 'EU', 'US']);
    expect(referencedWordLists(shipped)).toEqual(['de', 'en', 'es', 'fr', 'it', 'pt'].map((l) => `profanity:${l}`));
    expect(keywordLists(shipped).map((l) => l.id)).toContain('rule:financial-advice');
  });

  it('When a rule set has several bad rules, then one error lists every problem with its rule and field', () => {
    const error = compileError([
      {
        id: 'custom',
        region: 'EU',
        rules: [
          { id: 'no-action', match: { kind: 'keyword', terms: ['x'] } },
          { id: 'typo', action: 'block', match: { kind: 'regex', pattern: 'a' }, requireFlag: 'x' },
          { id: 'bad-threshold', match: { kind: 'category', category: 'toxic', review: 0.9, block: 0.5 } },
          { id: 'bad-type', action: 'redact', match: { kind: 'pii', types: ['passport'] } },
          {
            id: 'bad-zone',
            action: 'block',
            match: { kind: 'keyword', terms: ['x'] },
            window: { zone: 'Mars/Olympus', days: ['mon'], from: '09:00', to: '17:00' },
          },
        ],
      },
    ]);
    const summary = error.problems.map((p) => [p.ruleSetId, p.ruleId, p.field, p.code]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['custom', 'no-action', 'action', RuleProblemCode.Schema],
        ['custom', 'typo', 'requireFlag', RuleProblemCode.Schema],
        ['custom', 'bad-threshold', 'match.review', RuleProblemCode.Schema],
        ['custom', 'bad-type', 'match.types.0', RuleProblemCode.Schema],
        ['custom', 'bad-zone', 'window.zone', RuleProblemCode.UnknownZone],
      ]),
    );
    expect(error.problems.find((p) => p.ruleId === 'typo')?.reason).toBe('unknown field');
    expect(error.message).toContain('custom/bad-zone window.zone');
  });

  it('When two rules share an id across sets, then the duplicate is refused', () => {
    const rule = { id: 'same', action: 'block', match: { kind: 'keyword', terms: ['x'] } };
    const error = compileError([
      { id: 'a', region: 'EU', rules: [rule] },
      { id: 'b', region: 'US', rules: [rule] },
    ]);
    expect(error.problems).toEqual([
      expect.objectContaining({ code: RuleProblemCode.DuplicateId, ruleSetId: 'b', ruleId: 'same' }),
    ]);
  });

  it('When the snapshot is mutated, then it throws, and compiling again gives an independent object', () => {
    const compiled = compileRules(DEFAULT_RULE_SETS);
    expect(Object.isFrozen(compiled)).toBe(true);
    expect(Object.isFrozen(compiled.rules[0]!.match)).toBe(true);
    expect(() => {
      (compiled.rules[0] as { action?: string }).action = 'allow';
    }).toThrow(TypeError);
    expect(() => (compiled.rules as unknown[]).push({})).toThrow(TypeError);
    const again = compileRules(DEFAULT_RULE_SETS);
    expect(again).not.toBe(compiled);
    expect(again.rules[0]).not.toBe(compiled.rules[0]);
    expect(again).toEqual(compiled);
  });
});

describe('region resolution (Q23.2)', () => {
  it('When a VPN user has an EU account and a US IP, then EU rules apply, not US', () => {
    expect(resolveRegions(shipped, { accountRegion: 'EU', ipRegion: 'US' })).toEqual(['default', 'EU']);
  });

  it('When there is no account region, then the IP region applies; unknown regions fall back to default', () => {
    expect(resolveRegions(shipped, { ipRegion: 'BR' })).toEqual(['default', 'BR']);
    expect(resolveRegions(shipped, { ipRegion: 'JP' })).toEqual(['default']);
    expect(resolveRegions(shipped, {})).toEqual(['default']);
  });

  it('When an account is registered in an EU country or has a second citizenship, then those sets are added', () => {
    expect(resolveRegions(shipped, { accountRegion: 'DE' })).toEqual(['default', 'EU']);
    expect(resolveRegions(shipped, { accountRegion: 'EU', additionalRegions: ['US', 'EU', 'XX'] })).toEqual([
      'default',
      'EU',
      'US',
    ]);
  });
});

describe('decide', () => {
  it('When there are no signals, then the decision is allow', () => {
    expect(decide(shipped, buildInput({ regions: ['default', 'EU', 'US', 'BR'] }))).toEqual({
      action: 'allow',
      matches: [],
      flags: [],
      redactions: [],
      categories: [],
    });
  });

  it('When EU blocks a term that US only redacts, then a dual citizen gets the block (Q23.4)', () => {
    const compiled = compileRules([
      { id: 'eu', region: 'EU', rules: [{ id: 'eu-term', action: 'block', match: { kind: 'keyword', terms: ['x'] } }] },
      { id: 'us', region: 'US', rules: [{ id: 'us-term', action: 'redact', match: { kind: 'regex', pattern: 'x' } }] },
    ]);
    const signals = {
      keywordHits: [{ listId: 'rule:eu-term', term: 'x', start: 3, end: 4 }],
      regexHits: [{ ruleId: 'us-term', start: 3, end: 4 }],
    };
    const dual = resolveRegions(compiled, { accountRegion: 'US', additionalRegions: ['EU'] });
    const both = decide(compiled, buildInput({ ...signals, regions: dual }));
    expect(both.action).toBe('block');
    expect(both.matches.map((m) => m.ruleId)).toEqual(['eu-term', 'us-term']);
    expect(both.redactions).toEqual([{ start: 3, end: 4 }]);
    expect(decide(compiled, buildInput({ ...signals, regions: ['US'] })).action).toBe('redact');
  });

  it('When PII spans overlap, then redactions are merged and pii categories reported', () => {
    const decision = decide(
      shipped,
      buildInput({
        regions: ['default', 'EU'],
        pii: [
          { type: 'email', start: 10, end: 20, score: 0.9 },
          { type: 'person', start: 15, end: 25, score: 0.7 },
          { type: 'br_cnpj', start: 40, end: 58, score: 0.9 },
        ],
      }),
    );
    expect(decision.action).toBe('redact');
    expect(decision.redactions).toEqual([{ start: 10, end: 25 }]);
    expect(decision.categories).toEqual([
      { name: 'pii:email', score: 0.9 },
      { name: 'pii:person', score: 0.7 },
    ]);
  });

  it('When the financial-advice list hits, then free users are blocked and premium users are not (Q31.1)', () => {
    const keywordHits = [{ listId: 'rule:financial-advice', term: 'guaranteed returns', start: 0, end: 18 }];
    expect(decide(shipped, buildInput({ keywordHits, context: { plan: 'free' } })).action).toBe('block');
    expect(decide(shipped, buildInput({ keywordHits, context: {} })).action).toBe('block');
    expect(decide(shipped, buildInput({ keywordHits, context: { plan: 'premium' } }))).toMatchObject({
      action: 'allow',
      matches: [],
    });
    expect(decide(shipped, buildInput({ keywordHits, direction: 'input', context: { plan: 'free' } })).action).toBe(
      'allow',
    );
  });

  it('When injection is found, then input goes to review and output is blocked', () => {
    const injection = [{ start: 0, end: 30, score: 0.8 }];
    expect(decide(shipped, buildInput({ injection, direction: 'input' })).action).toBe('review');
    const output = decide(shipped, buildInput({ injection, direction: 'output' }));
    expect(output.action).toBe('block');
    expect(output.categories).toEqual([{ name: 'injection', score: 0.8 }]);
  });
});

describe('reputation (Q31.4)', () => {
  const toxic = FALLBACK_CATEGORY_THRESHOLDS.toxic!;

  it('When reputation is low or high, then thresholds tighten or loosen and keep their order', () => {
    expect(adjustThresholds(toxic, 0.5)).toEqual(toxic);
    expect(adjustThresholds(toxic, undefined)).toEqual(toxic);
    const flagged = adjustThresholds(toxic, 0.1);
    expect(flagged.review).toBeCloseTo(0.48);
    expect(flagged.block).toBeCloseTo(0.72);
    const trusted = adjustThresholds(toxic, 0.95);
    expect(trusted.review).toBeCloseTo(0.7);
    expect(trusted.block).toBeCloseTo(0.925);
    expect(trusted.block!).toBeLessThan(1);
  });

  it('When the same score is judged for different users, then the verdict follows their reputation', () => {
    const compiled = compileRules(defaultRuleSets({ toxic }));
    const judge = (score: number, reputation: number): string =>
      decide(compiled, buildInput({ scores: { toxic: score }, context: { reputation } })).action;
    expect(judge(0.55, 0.5)).toBe('allow');
    expect(judge(0.55, 0.1)).toBe('review');
    expect(judge(0.8, 0.1)).toBe('block');
    expect(judge(0.92, 0.5)).toBe('block');
    expect(judge(0.92, 0.95)).toBe('review');
    expect(judge(0.65, 0.95)).toBe('allow');
  });
});

describe('conversation flags (Q31.3)', () => {
  it('When an earlier turn asked for a card number, then a card number in a later reply is blocked', () => {
    const ask = decide(
      shipped,
      buildInput({
        direction: 'input',
        keywordHits: [{ listId: 'rule:card-number-requested', term: 'card number', start: 5, end: 16 }],
      }),
    );
    expect(ask.action).toBe('allow');
    expect(ask.flags).toEqual(['asked_for_card']);
    expect(ask.matches).toEqual([expect.objectContaining({ ruleId: 'card-number-requested', action: 'allow' })]);

    const pii = [{ type: 'credit_card' as const, start: 20, end: 39, score: 0.99 }];
    const later = decide(shipped, buildInput({ pii, conversation: conversationWith(ask.flags) }));
    expect(later.action).toBe('block');
    expect(later.matches.map((m) => m.ruleId)).toEqual(['card-number-after-request', 'pii-financial-and-national-ids']);
    expect(decide(shipped, buildInput({ pii })).action).toBe('redact');
  });

  it('When a conversation rule names a flag an earlier turn raised, then it fires over the whole text', () => {
    const compiled = compileRules([
      {
        id: 'd',
        region: 'default',
        rules: [{ id: 'after-abuse', action: 'review', match: { kind: 'conversation', flag: 'abuse' } }],
      },
    ]);
    const fired = decide(
      compiled,
      buildInput({ context: { conversation: conversationWith(['abuse']) }, textLength: 42 }),
    );
    expect(fired.matches).toEqual([
      { ruleId: 'after-abuse', kind: 'conversation', action: 'review', start: 0, end: 42 },
    ]);
    expect(decide(compiled, buildInput()).action).toBe('allow');
  });
});

describe('time windows (Q31.2)', () => {
  const cryptoHit = [{ listId: 'rule:crypto-promotion-business-hours', term: 'bitcoin', start: 0, end: 7 }];
  const atUtc = (iso: string): string =>
    decide(
      shipped,
      buildInput({ regions: ['default', 'EU'], keywordHits: cryptoHit, context: { now: Date.parse(iso) } }),
    ).action;

  it('When the same UTC time falls before and after the DST change, then Berlin wall-clock hours decide', () => {
    // 07:30Z is 08:30 CET on Friday 29 March 2024 and 09:30 CEST on Tuesday 2 April 2024.
    expect(atUtc('2024-03-29T07:30:00Z')).toBe('allow');
    expect(atUtc('2024-03-29T08:30:00Z')).toBe('block');
    expect(atUtc('2024-04-02T07:30:00Z')).toBe('block');
    expect(atUtc('2024-04-02T15:00:00Z')).toBe('allow');
    expect(atUtc('2024-03-30T10:00:00Z')).toBe('allow');
  });

  it('When a window crosses midnight, then it covers the early hours of the next day', () => {
    const compiled = compileRules([
      {
        id: 'night',
        region: 'EU',
        rules: [
          {
            id: 'friday-night',
            action: 'review',
            window: { zone: 'Europe/Berlin', days: ['fri'], from: '22:00', to: '06:00' },
            match: { kind: 'keyword', terms: ['party'] },
          },
        ],
      },
    ]);
    const keywordHits = [{ listId: 'rule:friday-night', term: 'party', start: 0, end: 5 }];
    const at = (iso: string): string =>
      decide(compiled, buildInput({ regions: ['EU'], keywordHits, context: { now: Date.parse(iso) } })).action;
    expect(at('2024-03-29T20:59:00Z')).toBe('allow'); // Fri 21:59
    expect(at('2024-03-29T21:00:00Z')).toBe('review'); // Fri 22:00
    expect(at('2024-03-30T01:00:00Z')).toBe('review'); // Sat 02:00
    expect(at('2024-03-30T05:00:00Z')).toBe('allow'); // Sat 06:00
    expect(at('2024-03-30T21:30:00Z')).toBe('allow'); // Sat 22:30
    expect(at('2024-03-28T23:00:00Z')).toBe('allow'); // Fri 00:00, opened on Thursday: not listed
  });

  it('When a window starts and ends at the same time, then it is refused', () => {
    const error = compileError([
      {
        id: 'w',
        region: 'EU',
        rules: [
          {
            id: 'r',
            action: 'block',
            match: { kind: 'keyword', terms: ['x'] },
            window: { zone: 'UTC', days: ['mon'], from: '10:00', to: '10:00' },
          },
        ],
      },
    ]);
    expect(error.problems[0]).toMatchObject({ code: RuleProblemCode.InvalidWindow, ruleId: 'r' });
  });
});

describe('scanRegexes', () => {
  it('When secrets appear in text, then hits carry UTF-16 offsets and only applicable rules run', () => {
    const text = '😀 key sk-abcdefghijklmnopqrstuvwx and AKIAABCDEFGHIJKLMNOP';
    const hits = scanRegexes(shipped, ['default', 'US'], 'input', text);
    expect(hits.map((h) => [h.ruleId, text.slice(h.from, h.to)])).toEqual([
      ['secret-api-key', 'sk-abcdefghijklmnopqrstuvwx'],
      ['secret-aws-access-key', 'AKIAABCDEFGHIJKLMNOP'],
    ]);
    const mrn = scanRegexes(shipped, ['default', 'US'], 'output', 'patient mrn# 1234567');
    expect(mrn).toEqual([{ ruleId: 'hipaa-medical-record-number', from: 8, to: 20 }]);
    expect(scanRegexes(shipped, ['default'], 'output', 'patient MRN 1234567')).toEqual([]);
  });

  it('When a rule matches very often, then hits are capped per rule', () => {
    const compiled: CompiledRules = compileRules([
      { id: 'd', region: 'default', rules: [{ id: 'a', action: 'redact', match: { kind: 'regex', pattern: 'a' } }] },
    ]);
    expect(scanRegexes(compiled, ['default'], 'input', 'a'.repeat(1000))).toHaveLength(compiled.limits.maxHitsPerRule);
  });
});
