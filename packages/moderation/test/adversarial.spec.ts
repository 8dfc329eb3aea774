import fc from 'fast-check';
import { naughtyStrings } from '@casebook/testing';
import { ADVERSARIAL_CASES, evaluate, obfuscate, unmark, type Obfuscation } from '@casebook/moderation';
import { compact, EU_OUTPUT, remainsOf, shippedSnapshot } from './support/engine';

const EVASIONS: Obfuscation[] = ['leet', 'homoglyph', 'zero-width', 'space-split', 'base64'];
const snapshot = shippedSnapshot();

describe('adversarial suite (Q30.1, Q30.4, Q32.2)', () => {
  const harmful = ADVERSARIAL_CASES.filter((c) => c.kind !== 'benign');

  it.each(harmful.map((c) => [c.id, c] as const))('When %s is sent plain, then it is not allowed', (_, c) => {
    expect(evaluate(snapshot, unmark(c.text), EU_OUTPUT).action).not.toBe('allow');
  });

  const variants = harmful.flatMap((c) => EVASIONS.map((how) => [c.id, how, c] as const));
  it.each(variants)('When %s is disguised by %s, then the verdict is the plain one', (_, how, c) => {
    const plain = evaluate(snapshot, unmark(c.text), EU_OUTPUT);
    const disguised = evaluate(snapshot, obfuscate(c.text, how), EU_OUTPUT);

    expect(disguised.action).toBe(plain.action);
    if (c.secret) {
      expect(disguised.pii.length).toBeGreaterThan(0);
      expect(remainsOf(disguised.redactedText)).not.toContain(compact(c.secret));
    }
  });

  const benign = ADVERSARIAL_CASES.filter((c) => c.kind === 'benign');
  it.each(benign.map((c) => [c.id, c.text] as const))(
    'When the look-alike %s is sent, then it is allowed',
    (_, text) => {
      const verdict = evaluate(snapshot, text, EU_OUTPUT);
      expect(verdict.matches).toEqual([]);
      expect(verdict.action).toBe('allow');
    },
  );
});

describe('redaction offsets', () => {
  const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'];
  const CONFUSABLE: Record<string, string> = { o: '\u043e', a: '\u0430', e: '\u0435', c: '\u0441', p: '\u0440' };
  const word = fc.stringMatching(/^[a-z]{2,8}$/);
  const disguise = (value: string, noise: boolean[]) =>
    [...value]
      .map((ch, i) => {
        const swapped = noise[i % noise.length] && CONFUSABLE[ch] ? CONFUSABLE[ch]! : ch;
        return i > 0 && noise[(i + 1) % noise.length] ? ZERO_WIDTH[i % ZERO_WIDTH.length] + swapped : swapped;
      })
      .join('');

  it('When zero-width characters and confusables are inserted anywhere in an email, then exactly its characters are redacted', () => {
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 6 }),
        fc.array(word, { minLength: 1, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
        (before, after, noise) => {
          const email = disguise('john.cooper@example.com', noise);
          const prefix = `${before.join(' ')} `;
          const suffix = ` ${after.join(' ')}`;
          const verdict = evaluate(snapshot, prefix + email + suffix, EU_OUTPUT);

          const found = verdict.pii.find((f) => f.type === 'email');
          expect(found).toEqual(expect.objectContaining({ start: prefix.length, end: prefix.length + email.length }));
          expect(verdict.redactedText).toBe(`${prefix}[email]${suffix}`);
        },
      ),
      { numRuns: 200, seed: 20261203 },
    );
  });

  it('When a card number is split by zero-width characters, then the redaction starts and ends on its first and last digit', () => {
    const card = '4111\u200b1111\u200c1111\u200d1111';
    const text = `card: ${card}, thanks`;

    const verdict = evaluate(snapshot, text, EU_OUTPUT);

    const found = verdict.pii.find((f) => f.type === 'credit_card')!;
    expect(text.slice(found.start, found.end)).toBe(card);
    expect(verdict.redactedText).toBe('card: [credit_card], thanks');
  });
});

describe('hostile input', () => {
  const blns = naughtyStrings();

  it('When every naughty string is evaluated as input and as output, then each gets a verdict', () => {
    for (const text of blns) {
      for (const direction of ['input', 'output'] as const) {
        const verdict = evaluate(snapshot, text, { ...EU_OUTPUT, direction });
        expect(['allow', 'redact', 'review', 'block']).toContain(verdict.action);
        expect(typeof verdict.redactedText).toBe('string');
      }
    }
  });

  it('When a 1 MB text is evaluated, then it gets a verdict and every finding is inside the text', () => {
    const unit = 'revenue 4111 1111 1111 1111 up 3% mail a@b.co \u200b\u0430 QUJDRA== %41%42 ';
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length)).slice(0, 1_000_000);

    const verdict = evaluate(snapshot, text, EU_OUTPUT);

    expect(verdict.pii.length).toBeGreaterThan(0);
    for (const f of verdict.pii) expect(f.end).toBeLessThanOrEqual(text.length);
    expect(verdict.redactedText.length).toBeLessThan(text.length);
  });
});
