import fc from 'fast-check';
import { normalise, normaliseWithoutShortcuts, toOriginal, type NormalisedText } from '../src/text';
import { naughtyStrings } from '@casebook/testing';
import { INVISIBLES, LOOKALIKES, isMonotoneWithin, originalSlice } from './support/text-fixtures';

function foldedSpanOf(original: string, word: string): string {
  const { folded } = normalise(original);
  const at = folded.text.indexOf(word);
  expect(at).toBeGreaterThanOrEqual(0);
  return originalSlice(original, folded, at, at + word.length);
}

describe('normalise: folded view (Q30.1, Q30.4)', () => {
  it.each([
    ['h3ll0 there', 'hello there'],
    ['what $h1t', 'what shit'],
    ['@ss', 'ass'],
    ['sh!t happens', 'shit happens'],
    ['fuuuuck asssss', 'fuuck ass'],
    ['Wow! Sure!', 'wow! sure!'],
  ])('When leet or repeats are written (%j), then they fold to the letters (%j)', (original, expected) => {
    const result = normalise(original);

    expect(result.folded.text).toBe(expected);
  });

  it.each([
    ['Cyrillic', 'fu\u0441k'],
    ['Greek', 'f\u03c5ck'],
    ['fullwidth', 'ｆｕｃｋ'],
    ['mathematical bold', '𝐟𝐮𝐜𝐤'],
    ['zero-width space', 'fu\u200bck'],
    ['bidi override', '\u202efuck\u202c'],
    ['tag characters', 'f\u{e0041}u\u{e0042}ck'],
    ['soft hyphen and joiners', 'f\u00adu\u200dc\u2060k'],
    ['spaces', 'f u c k'],
    ['dots', 'f.u.c.k'],
    ['hyphens', 'f-u-c-k'],
    ['underscores', 'f_u_c_k'],
    ['asterisks', 'f*u*c*k'],
  ])('When a word is disguised with %s, then the folded view reads it and maps back to all of it', (_, disguised) => {
    const original = `you ${disguised} now`;

    const slice = foldedSpanOf(original, 'fuck');

    expect(slice).toBe(disguised.replace(/^\u202e/, '').replace(/\u202c$/, ''));
  });

  it('When a base letter carries a combining accent, then it composes to one code unit covering both', () => {
    const result = normalise('caf' + 'e\u0301');

    expect(result.folded.text).toBe('café');
    expect(toOriginal(result.folded, 3, 4)).toEqual({ start: 3, end: 5 });
  });

  it.each(['a cat is here', 'I am a b', 'e.g. this', 'version 1.2.3 is out', 'x - y - z'])(
    'When ordinary text has single letters (%j), then nothing is joined',
    (original) => {
      const result = normalise(original);

      expect(result.folded.text).toBe(original.toLowerCase());
    },
  );

  it.each(['in 2024 we', 'call +1 415 555 0100', 'card 4111 1111 1111 1111', 'order #4711, 10am, 3rd'])(
    'When digits stand without letters or as units (%j), then both views keep them',
    (original) => {
      const result = normalise(original);

      expect(result.folded.text).toBe(original.toLowerCase());
      expect(result.literal.text).toBe(original);
    },
  );
});

describe('normalise: literal view (Q30.4)', () => {
  it('When an email hides a Cyrillic о, then the literal view reads plain ASCII with case kept', () => {
    const result = normalise('Mail J\u043ehn@Example.com');

    expect(result.literal.text).toBe('Mail John@Example.com');
    expect(toOriginal(result.literal, 5, 21)).toEqual({ start: 5, end: 21 });
  });

  it('When a card number has l for 1 and O for 0, then the literal view reads digits and keeps leet elsewhere', () => {
    const result = normalise('4111 1111 11l1 1O11 h3ll0');

    expect(result.literal.text).toBe('4111 1111 1111 1011 h3ll0');
  });

  it('When a whole word is Cyrillic, then the literal view leaves it as written', () => {
    const result = normalise('\u043f\u0440\u0438\u0432\u0435\u0442 \u0441\u043e\u043a');

    expect(result.literal.text).toBe('\u043f\u0440\u0438\u0432\u0435\u0442 \u0441\u043e\u043a');
  });

  it('When invisibles and fullwidth digits are mixed in, then the literal view drops and narrows them', () => {
    const original = 'ｃａｌｌ\u200b ０１２３';

    const result = normalise(original);

    expect(result.literal.text).toBe('call 0123');
    expect(isMonotoneWithin(result.literal, original.length)).toBe(true);
  });
});

describe('normalise: decoded spans (Q30.4)', () => {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

  it('When base64 is embedded, then its decoded text is folded and every unit maps to the whole run', () => {
    const encoded = b64('you are a sh1t person');
    const original = `look: ${encoded} !`;

    const [span] = normalise(original).decoded;

    expect(span).toMatchObject({ encoding: 'base64', start: 6, end: 6 + encoded.length, depth: 1 });
    expect(span!.folded.text).toBe('you are a shit person');
    expect(toOriginal(span!.folded, 10, 14)).toEqual({ start: 6, end: 6 + encoded.length });
  });

  it('When base64url or hex with 0x is embedded, then both decode', () => {
    const url = Buffer.from('fuck off??>>', 'utf8').toString('base64url');
    const hex = '0x' + Buffer.from('fuck you', 'utf8').toString('hex');

    const decoded = normalise(`${url} and ${hex}`).decoded;

    expect(decoded.map((d) => [d.encoding, d.folded.text])).toEqual([
      ['base64', 'fuck off??>>'],
      ['hex', 'fuck you'],
    ]);
  });

  it('When percent-encoding is embedded, then each decoded character maps to its own triples', () => {
    const original = 'go %66%75%63%6B%C3%A9 x';

    const [span] = normalise(original).decoded;

    expect(span!.encoding).toBe('percent');
    expect(span!.folded.text).toBe('fucké');
    expect(toOriginal(span!.folded, 0, 1)).toEqual({ start: 3, end: 6 });
    expect(toOriginal(span!.folded, 4, 5)).toEqual({ start: 15, end: 21 });
  });

  it('When base64 wraps base64, then both levels decode and the inner one maps to the outer span', () => {
    const encoded = b64(b64('shit happens here'));

    const decoded = normalise(`x ${encoded}`).decoded;

    expect(decoded.map((d) => [d.depth, d.start, d.end])).toEqual([
      [1, 2, 2 + encoded.length],
      [2, 2, 2 + encoded.length],
    ]);
    expect(decoded[1]!.folded.text).toBe('shit happens here');
  });

  it('When long words, card numbers or binary-looking runs appear, then nothing is decoded', () => {
    const original =
      'internationalization Donaudampfschifffahrt 4111111111111111 ' +
      b64('\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b');

    const result = normalise(original);

    expect(result.decoded).toEqual([]);
  });

  it('When the input is mostly encoded, then the decoded text of each level stays within the input length', () => {
    const original = Array.from({ length: 200 }, () => b64(b64('abcdefghijklmnopqrstuvwxyz'))).join(' ');

    const decoded = normalise(original).decoded;

    for (const depth of [1, 2]) {
      const total = decoded.filter((d) => d.depth === depth).reduce((sum, d) => sum + d.literal.text.length, 0);
      expect(total).toBeLessThanOrEqual(original.length);
    }
  });
});

/** Every view as plain data (text and both offset arrays), decoded spans included. */
function viewsOf(n: NormalisedText): unknown[] {
  const plain = (v: NormalisedText['folded']) => ({ text: v.text, start: [...v.start], end: [...v.end] });
  return [
    plain(n.folded),
    plain(n.literal),
    ...n.decoded.map((d) => ({ ...d, folded: plain(d.folded), literal: plain(d.literal) })),
  ];
}

describe('normalise: shortcuts', () => {
  it('When ASCII text takes a shortcut (plain prose, tokens mixing letters and digits), then every view equals the full passes', () => {
    const token = fc
      .array(fc.constantFrom(...'aeiloQsStxB0123457$@!|%fF'.split('')), { minLength: 1, maxLength: 7 })
      .map((a) => a.join(''));
    const text = fc
      .array(fc.tuple(token, fc.constantFrom(' ', ' ', '. ', ', ', '-', '.')), { maxLength: 25 })
      .map((parts) => parts.map(([t, sep]) => t + sep).join(''));
    fc.assert(
      fc.property(text, (original) => {
        expect(viewsOf(normalise(original))).toEqual(viewsOf(normaliseWithoutShortcuts(original)));
      }),
      { numRuns: 2_000 },
    );
  });

  it.each(['Revenue for Q1 2024 was up 8.3% on B2B orders.', 'a44 b00k', 'h3ll0 $h1t 11l1 2O24 fooo'])(
    'When %j is normalised, then the shortcut gives what the full passes give',
    (original) => {
      expect(viewsOf(normalise(original))).toEqual(viewsOf(normaliseWithoutShortcuts(original)));
    },
  );
});

describe('normalise: robustness', () => {
  it('When a word is sprinkled with invisibles and look-alikes, then the folded view reads it and maps back to it', () => {
    const words = ['fuck', 'shit', 'bitch', 'pussy', 'idiot'];
    const filler = fc
      .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz .,'.split('')), { maxLength: 30 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(
        filler,
        fc.constantFrom(...words),
        filler,
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (before, word, after, invisibleSeeds, lookalikeSeeds) => {
          const letters = word.split('');
          lookalikeSeeds.forEach((seed) => {
            const k = seed % letters.length;
            const options = LOOKALIKES[word[k]!];
            if (options !== undefined) letters[k] = options[seed % options.length]!;
          });
          const chars = [...`${before} `, ...letters, ...` ${after}`];
          invisibleSeeds.forEach((seed) =>
            chars.splice(seed % (chars.length + 1), 0, INVISIBLES[seed % INVISIBLES.length]!),
          );
          const original = chars.join('');

          const { folded, literal } = normalise(original);
          const at = folded.text.indexOf(word);

          expect(at).toBeGreaterThanOrEqual(0);
          expect(normalise(originalSlice(original, folded, at, at + word.length)).folded.text).toBe(word);
          expect(isMonotoneWithin(folded, original.length)).toBe(true);
          expect(isMonotoneWithin(literal, original.length)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('When every naughty string is normalised, then none throws and every view stays within 4× the input', () => {
    const strings = naughtyStrings();

    for (const s of strings) {
      const result = normalise(s);
      const views = [result.folded, result.literal, ...result.decoded.flatMap((d) => [d.folded, d.literal])];
      for (const view of views) {
        expect(view.text.length).toBeLessThanOrEqual(4 * Math.max(1, s.length));
        expect(isMonotoneWithin(view, s.length)).toBe(true);
      }
    }
    expect(strings.length).toBeGreaterThan(500);
  });

  it('When the input is 1 MB of mixed text, then the views grow in proportion to it', () => {
    const unit =
      'Grüße f u c k h3ll0 \u200bjоhn@example.com ' +
      Buffer.from('hello there world').toString('base64') +
      ' %66%75 ok. ';
    const copies = 100 * Math.ceil(10_000 / unit.length);
    const small = unit.repeat(100);
    const large = unit.repeat(copies);

    const a = normalise(small);
    const b = normalise(large);

    const ratio = copies / 100;
    expect(b.folded.text.length).toBe(a.folded.text.length * ratio);
    expect(b.literal.text.length).toBe(a.literal.text.length * ratio);
    expect(b.decoded.length).toBe(a.decoded.length * ratio);
  });
});
