/**
 * Q22.2: hashed features over the folded text (`normalise(text).folded.text`): word 1..wordMaxN-grams
 * and character n-grams over the cleaned token stream, either across word boundaries (" du idi" is
 * one 7-gram of "du idiot") or within each space-padded word only. Q22.4: the token scan hashes the
 * words from the char codes and writes the cleaned stream; one pass over that stream then yields
 * every char n-gram length from one rolling polynomial hash (H_n(q) = H_{n-1}(q-1)·P + c_q) kept in
 * locals. No string, Set or array is allocated per call; the buffers only grow.
 */
export interface FeatureSpec {
  /** log2 of the number of hash buckets. */
  bits: number;
  /** Word n-grams 1..wordMaxN (1–3). */
  wordMaxN: number;
  /** Char n-gram lengths, 2..5. */
  charMinN: number;
  charMaxN: number;
  /** Char n-grams run across word boundaries (true) or stay within one space-padded word (false). */
  charAcrossWords: boolean;
  /** Each bucket counts once per text (presence, as NB-SVM uses), instead of once per occurrence. */
  binary: boolean;
}

const FNV_BASIS = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const ROLL = 0x2f0b3e7d;
const GOLDEN = 0x9e3779b1 | 0;
/** One seed per n-gram kind so that e.g. the word "abc" and the char 3-gram "abc" land apart. */
const W1 = 0x1b873593;
const W2 = 0x68e31da4;
const W3 = 0x2545f491;
const C2 = 0x5bd1e995;
const C3 = 0x27d4eb2f;
const C4 = 0x165667b1;
const C5 = 0x7feb352d;
const SPACE = 32;

/** Letters, digits and combining marks of the BMP, as a lookup table: one array read per code unit. */
const WORD_CHAR = ((): Uint8Array => {
  const table = new Uint8Array(65536);
  const wordish = /[\p{L}\p{N}\p{M}]/u;
  for (let c = 0; c < 65536; c += 1) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    if (c !== 95 && wordish.test(String.fromCharCode(c))) table[c] = 1;
  }
  return table;
})();

function isSpace(c: number): boolean {
  return c <= SPACE || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029;
}

function tokenIs(text: string, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let k = 0; k < word.length; k += 1) if (text.charCodeAt(s + k) !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * Twitter noise the model must not learn from (the data sets are tweets, live traffic is not):
 * mentions (`@name`, and `auser`, which is how the normaliser folds `@user`), the retweet marker
 * `rt`, GermEval's line-break marker `|LBR|` in its folded spellings. URLs and HTML entities are
 * skipped by the scanner itself.
 */
function isNoiseToken(text: string, s: number, e: number): boolean {
  if (s > 0 && text.charCodeAt(s - 1) === 64) return true;
  const length = e - s;
  if (length === 2) return tokenIs(text, s, e, 'rt');
  if (length === 3) return tokenIs(text, s, e, 'lbr');
  if (length === 5) return tokenIs(text, s, e, 'auser') || tokenIs(text, s, e, 'llbrl') || tokenIs(text, s, e, 'ilbri');
  return false;
}

function isUrlStart(text: string, s: number, e: number): boolean {
  // Never read past the end: an out-of-range charCodeAt deoptimises the whole scanner.
  if (e >= text.length) return false;
  const next = text.charCodeAt(e);
  if (next === 58 /* : */) return tokenIs(text, s, e, 'http') || tokenIs(text, s, e, 'https');
  return next === 46 /* . */ && tokenIs(text, s, e, 'www');
}

/** End of an HTML entity (`&amp;`, `&#8220;`) starting at `i`, or -1. */
function entityEnd(text: string, i: number): number {
  const limit = Math.min(text.length, i + 10);
  let j = i + 1;
  while (j < limit && (WORD_CHAR[text.charCodeAt(j)] === 1 || text.charCodeAt(j) === 35)) j += 1;
  return j > i + 1 && j < text.length && text.charCodeAt(j) === 59 ? j + 1 : -1;
}

export class FeatureExtractor {
  /** Bucket of every n-gram kept: character n-grams first (`charCount`), then word n-grams (`wordCount`). */
  indexes = new Int32Array(4096);
  charCount = 0;
  wordCount = 0;
  private words = new Int32Array(1024);
  /** The cleaned stream " tok1 tok2 … " the char n-grams run over. */
  private clean = new Uint16Array(1024);
  private readonly shift: number;
  /** Bit n set: char n-grams of length n are kept. */
  private readonly lengths: number;
  /** Q22.4: dedupe without a Set: a bucket is taken when its stamp is not this call's generation. */
  private readonly stamps: Int32Array;
  private generation = 0;

  constructor(readonly spec: FeatureSpec) {
    if (spec.charMinN < 2 || spec.charMaxN > 5 || spec.wordMaxN > 3) throw new Error('unsupported feature spec');
    this.shift = 32 - spec.bits;
    let lengths = 0;
    for (let n = spec.charMinN; n <= spec.charMaxN; n += 1) lengths |= 1 << n;
    this.lengths = lengths;
    this.stamps = new Int32Array(spec.binary ? 1 << spec.bits : 1);
  }

  /** Fills `indexes`; returns the number of n-grams kept (`charCount + wordCount`). */
  extract(text: string): number {
    const n = text.length;
    // ≤ 4 char n-grams per stream char (≤ 2 per code unit, spaces included); ≤ 3 word n-grams per token.
    if (this.indexes.length < 8 * n + 3 * n + 16) this.indexes = new Int32Array(11 * n + 16);
    if (this.words.length < 3 * n + 3) this.words = new Int32Array(3 * n + 3);
    const indexes = this.indexes;
    const words = this.words;
    const stamps = this.stamps;
    const binary = this.spec.binary;
    const gen = this.nextGeneration();
    const shift = this.shift;
    const wordMaxN = this.spec.wordMaxN;
    if (this.clean.length < 2 * n + 2) this.clean = new Uint16Array(2 * n + 2);
    const clean = this.clean;
    let len = 0;
    clean[len++] = SPACE;
    let count = 0;
    let wordCount = 0;
    let prev1 = 0;
    let prev2 = 0;
    let tokens = 0;
    let i = 0;
    while (i < n) {
      const first = text.charCodeAt(i);
      if (WORD_CHAR[first] !== 1) {
        const end = first === 38 ? entityEnd(text, i) : -1;
        i = end > 0 ? end : i + 1;
        continue;
      }
      const s = i;
      while (i < n && WORD_CHAR[text.charCodeAt(i)] === 1) i += 1;
      // Cheap guards first: the checks are calls, and most tokens are neither URLs nor noise.
      const next = i < n ? text.charCodeAt(i) : 0;
      if ((next === 58 || next === 46) && isUrlStart(text, s, i)) {
        while (i < n && !isSpace(text.charCodeAt(i))) i += 1;
        continue;
      }
      const length = i - s;
      const mention = s > 0 && text.charCodeAt(s - 1) === 64;
      if ((mention || length === 2 || length === 3 || length === 5) && isNoiseToken(text, s, i)) continue;
      let h = FNV_BASIS;
      for (let k = s; k < i; k += 1) {
        const c = text.charCodeAt(k);
        clean[len++] = c;
        h = Math.imul(h ^ c, FNV_PRIME);
      }
      clean[len++] = SPACE;
      words[wordCount++] = h ^ W1;
      if (wordMaxN >= 2 && tokens >= 1) words[wordCount++] = Math.imul(prev1, ROLL) ^ h ^ W2;
      if (wordMaxN >= 3 && tokens >= 2) words[wordCount++] = Math.imul(Math.imul(prev2, ROLL) ^ prev1, ROLL) ^ h ^ W3;
      prev2 = prev1;
      prev1 = h;
      tokens += 1;
    }
    count = this.chars(len, gen);
    const chars = count;
    for (let w = 0; w < wordCount; w += 1) {
      const bucket = Math.imul(words[w]!, GOLDEN) >>> shift;
      if (binary) {
        if (stamps[bucket] === gen) continue;
        stamps[bucket] = gen;
      }
      indexes[count++] = bucket;
    }
    this.charCount = chars;
    this.wordCount = count - chars;
    return count;
  }

  /**
   * Char n-grams over `clean[0 … len)`: every length from one rolling hash; within words, the state
   * restarts at each space (the space itself is kept, so " du " still has its edges).
   */
  private chars(len: number, gen: number): number {
    const clean = this.clean;
    const indexes = this.indexes;
    const stamps = this.stamps;
    const binary = this.spec.binary;
    const across = this.spec.charAcrossWords;
    const shift = this.shift;
    const lengths = this.lengths;
    let count = 0;
    let h1 = 0;
    let h2 = 0;
    let h3 = 0;
    let h4 = 0;
    let fed = 0;
    for (let q = 0; q < len; q += 1) {
      const c = clean[q]!;
      fed += 1;
      const r5 = (Math.imul(h4, ROLL) + c) | 0;
      const r4 = (Math.imul(h3, ROLL) + c) | 0;
      const r3 = (Math.imul(h2, ROLL) + c) | 0;
      const r2 = (Math.imul(h1, ROLL) + c) | 0;
      h1 = c;
      h2 = r2;
      h3 = r3;
      h4 = r4;
      for (let m = 2; m <= 5; m += 1) {
        if ((lengths & (1 << m)) === 0 || fed < m) continue;
        const r = m === 2 ? r2 ^ C2 : m === 3 ? r3 ^ C3 : m === 4 ? r4 ^ C4 : r5 ^ C5;
        // Fibonacci hashing: the top `bits` of one multiplication.
        const bucket = Math.imul(r, GOLDEN) >>> shift;
        if (binary) {
          if (stamps[bucket] === gen) continue;
          stamps[bucket] = gen;
        }
        indexes[count++] = bucket;
      }
      if (!across && c === SPACE) {
        h1 = SPACE;
        fed = 1;
      }
    }
    return count;
  }

  private nextGeneration(): number {
    this.generation = this.generation === 0x7fffffff ? 1 : this.generation + 1;
    if (this.generation === 1) this.stamps.fill(0);
    return this.generation;
  }
}

/** Q22.2: each group has unit weight overall (1/√n per n-gram), so long texts do not saturate. */
export function groupScale(occurrences: number): number {
  return occurrences === 0 ? 0 : 1 / Math.sqrt(occurrences);
}
