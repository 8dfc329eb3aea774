/**
 * Q30.1, Q30.4, Q32.2: the evasions people use against keyword filters, as functions, so a regression
 * suite can be the cross product of cases and evasions. Each keeps the text readable to a person.
 */
export type Obfuscation = 'plain' | 'leet' | 'homoglyph' | 'zero-width' | 'space-split' | 'base64';

const LEET: Record<string, string> = { a: '4', e: '3', i: '1', o: '0', s: '$', t: '7' };
// Cyrillic and Greek letters that render like Latin ones (all in Unicode's confusables data).
const HOMOGLYPH: Record<string, string> = {
  a: '\u0430',
  c: '\u0441',
  e: '\u0435',
  i: '\u0456',
  o: '\u043e',
  p: '\u0440',
  s: '\u0455',
  x: '\u0445',
  y: '\u0443',
  A: '\u0410',
  B: '\u0412',
  C: '\u0421',
  E: '\u0415',
  H: '\u041d',
  O: '\u041e',
  P: '\u0420',
  T: '\u0422',
};
const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'];

/** Applies `how` to the words of `text` marked by `[[…]]` (the whole text when none are marked). */
export function obfuscate(text: string, how: Obfuscation): string {
  if (how === 'base64') return Buffer.from(unmark(text), 'utf8').toString('base64');
  if (!text.includes('[[')) return transform(text, how).trim();
  return text.replace(/\[\[(.+?)\]\]/g, (_, inner: string) => transform(inner, how));
}

/** The text without its `[[…]]` marks. */
export function unmark(text: string): string {
  return text.replace(/\[\[(.+?)\]\]/g, '$1');
}

function transform(word: string, how: Exclude<Obfuscation, 'base64'>): string {
  switch (how) {
    case 'plain':
      return word;
    case 'leet':
      // Tokens with digits (an IBAN, a phone number) keep their letters: leet there would change the value.
      return word
        .split(' ')
        .map((w) => (/\d/.test(w) ? w : leetLocalPart(w)))
        .join(' ');
    case 'homoglyph':
      return mapLetters(word, (c) => HOMOGLYPH[c] ?? c);
    case 'zero-width':
      return [...word].map((c, i) => (i === 0 ? c : ZERO_WIDTH[i % ZERO_WIDTH.length]! + c)).join('');
    case 'space-split':
      // Split words are set apart by two spaces, so the reader (and the normaliser) can tell where they end.
      return word
        .split(' ')
        .map((w) => (/^[a-z]{3,}$/i.test(w) ? ` ${[...w].join(' ')} ` : w))
        .join(' ');
  }
}

/** An email keeps its domain (a leet domain is another, unreachable address); the rest is rewritten. */
function leetLocalPart(w: string): string {
  const at = w.indexOf('@');
  const leet = (s: string) => mapLetters(s, (c, i) => (i % 2 === 1 ? (LEET[c.toLowerCase()] ?? c) : c));
  return at < 0 ? leet(w) : leet(w.slice(0, at)) + w.slice(at);
}

function mapLetters(word: string, f: (c: string, i: number) => string): string {
  let letter = 0;
  return [...word].map((c) => (/[a-z]/i.test(c) ? f(c, letter++) : c)).join('');
}
