import {
  compileSnapshot,
  defaultRuleSets,
  directionOf,
  loadDefaultModel,
  OPENAI_CATEGORIES,
  previewDiff,
  SnapshotHolder,
  termDigests,
  termQuery,
  toLiteLlmGuardrail,
  toOpenAiModeration,
  evaluate,
  type RuleSetDefinition,
} from '@casebook/moderation';
import { EU_OUTPUT, shippedSnapshot } from './support/engine';

const CARD = '4111 1111 1111 1111';
const BLOCK_WIDGETS: RuleSetDefinition = {
  id: 'widgets',
  region: 'default',
  rules: [
    {
      id: 'no-widgets',
      action: 'block',
      match: { kind: 'keyword', terms: ['widget'] },
    },
  ],
};

function withWidgetRule() {
  const model = loadDefaultModel();
  return compileSnapshot({ ruleSets: [...defaultRuleSets(model.thresholds), BLOCK_WIDGETS], model });
}

describe('SnapshotHolder (Q24.3, Q28.4)', () => {
  it('When a newer snapshot is swapped in, then later calls use it and a late, older announcement is ignored', () => {
    const holder = new SnapshotHolder(shippedSnapshot());
    const next = withWidgetRule();

    expect(holder.evaluate('the widget report', EU_OUTPUT).verdict.action).toBe('allow');
    expect(holder.swap(next, 2)).toBe(true);
    expect(holder.evaluate('the widget report', EU_OUTPUT).verdict.action).toBe('block');
    expect(holder.swap(shippedSnapshot(), 1)).toBe(false);
    expect(holder.current()).toBe(next);
    expect(holder.publishedSequence).toBe(2);
  });

  it('When a shadow version runs beside the active one, then it is reported and never changes the answer', () => {
    const holder = new SnapshotHolder(shippedSnapshot());
    holder.swap(shippedSnapshot(), 1, withWidgetRule());

    const held = holder.evaluate('the widget report', EU_OUTPUT);

    expect(held.verdict.action).toBe('allow');
    expect(held.shadow?.action).toBe('block');
    expect(held.shadow?.matches.map((m) => m.ruleId)).toEqual(['no-widgets']);
  });

  it('When a request holds the snapshot it started with, then a swap meanwhile does not change its verdict', () => {
    const holder = new SnapshotHolder(shippedSnapshot());
    const started = holder.current();

    holder.swap(withWidgetRule(), 1);

    expect(evaluate(started, 'the widget report', EU_OUTPUT).action).toBe('allow');
    expect(holder.evaluate('the widget report', EU_OUTPUT).verdict.action).toBe('block');
  });
});

describe('previewDiff (Q24.4)', () => {
  it('When a draft blocks a new term, then the diff counts both versions and lists only the changed samples, redacted', () => {
    const samples = [
      { text: 'the widget report is ready' },
      { text: 'revenue grew in EMEA' },
      { text: `a widget paid with card ${CARD}` },
    ];

    const diff = previewDiff(shippedSnapshot(), withWidgetRule(), samples, { now: EU_OUTPUT.now });

    expect(diff.samples).toBe(3);
    expect(diff.counts.active).toEqual({ allow: 2, redact: 1, review: 0, block: 0 });
    expect(diff.counts.draft).toEqual({ allow: 1, redact: 0, review: 0, block: 2 });
    expect(diff.changed).toBe(2);
    expect(diff.examples.map((e) => [e.sample, e.from, e.to])).toEqual([
      [0, 'allow', 'block'],
      [2, 'redact', 'block'],
    ]);
    expect(diff.examples[1]!.toRules).toContain('no-widgets');
    expect(JSON.stringify(diff)).not.toContain('4111');
  });
});

describe('OpenAI moderation shape (Q34.3)', () => {
  it('When texts are moderated, then each result has every OpenAI category with a boolean, a score and input types', () => {
    const snapshot = shippedSnapshot();
    const verdicts = ['you are a stupid idiot and a pathetic loser', 'thanks for the report'].map((t) =>
      evaluate(snapshot, t, EU_OUTPUT),
    );

    const response = toOpenAiModeration('modr-1', 'casebook-moderation', verdicts);

    expect(response).toMatchObject({ id: 'modr-1', model: 'casebook-moderation' });
    expect(response.results).toHaveLength(2);
    for (const result of response.results) {
      expect(Object.keys(result.categories).sort()).toEqual([...OPENAI_CATEGORIES].sort());
      for (const name of OPENAI_CATEGORIES) {
        expect(typeof result.categories[name]).toBe('boolean');
        expect(result.category_scores[name]).toBeGreaterThanOrEqual(0);
        expect(result.category_scores[name]).toBeLessThanOrEqual(1);
        expect(result.category_applied_input_types[name]).toEqual(['text']);
      }
    }
    expect(response.results[0]!.flagged).toBe(true);
    expect(response.results[0]!.category_scores.harassment).toBeGreaterThan(
      response.results[1]!.category_scores.harassment,
    );
    expect(response.results[1]!.flagged).toBe(false);
    expect(response.results[1]!.categories.harassment).toBe(false);
  });
});

describe('LiteLLM generic guardrail (Q34.3)', () => {
  it('When a text is blocked, then the call is BLOCKED with rule ids and nothing of the text', () => {
    const verdict = evaluate(withWidgetRule(), 'the widget report', EU_OUTPUT);

    const response = toLiteLlmGuardrail([verdict]);

    expect(response).toEqual({ action: 'BLOCKED', blocked_reason: 'blocked by moderation rules: no-widgets' });
  });

  it('When a text only needs redaction, then the guardrail intervenes with the rewritten texts', () => {
    const texts = [`card ${CARD} please`, 'all fine'];

    const response = toLiteLlmGuardrail(texts.map((t) => evaluate(shippedSnapshot(), t, EU_OUTPUT)));

    expect(response.action).toBe('GUARDRAIL_INTERVENED');
    expect(response.texts).toHaveLength(2);
    expect(response.texts![0]).not.toContain('4111');
    expect(response.texts![1]).toBe('all fine');
  });

  it('When nothing is flagged, then the action is NONE; a request is input and a response output', () => {
    expect(toLiteLlmGuardrail([evaluate(shippedSnapshot(), 'all fine', EU_OUTPUT)])).toEqual({ action: 'NONE' });
    expect(directionOf({ input_type: 'request' })).toBe('input');
    expect(directionOf({ input_type: 'response' })).toBe('output');
    expect(directionOf({})).toBe('output');
  });
});

describe('term digests (Q25.2)', () => {
  it('When a stored text is digested, then a query for a word in it finds it, obfuscated or not, and the words are not stored', () => {
    const key = 'test-key';
    const stored = termDigests(key, 'You are an IDIOT, and the Widget is late');

    expect(stored).toEqual(expect.arrayContaining(termQuery(key, 'idiot')));
    expect(stored).toEqual(expect.arrayContaining(termQuery(key, '1d10t')));
    expect(stored).not.toEqual(expect.arrayContaining(termQuery(key, 'moron')));
    expect(stored.join(' ')).not.toMatch(/idiot|widget/i);
    expect(termDigests('other-key', 'idiot')).not.toEqual(termQuery(key, 'idiot'));
  });
});
