import { ASCII_CLASS, DIGIT, LEET, LETTER, SEP } from './tables';

/** What an ASCII text needs beyond lower-casing; `WIDE` means it is not ASCII at all. */
export const WIDE = 1;
/** A token mixing letters with digits or leet signs (or digits with `|`): leet and look-alike passes. */
export const MIXED = 2;
/** A letter three times in a row. */
export const REPEAT = 4;
/** Three single characters split by single separators. */
export const SPLIT = 8;
/** A run long enough to be base64 or hex, or a `%`. */
export const ENCODED = 16;

const CLASSES = ASCII_CLASS;
const MIN_RUN = 16;

// One byte of bits per ASCII character, so the sweep does one table load per character.
const IS_LETTER = 1;
const IS_DIGIT = 2;
const IS_LEET = 4; // $ @
const IS_BANG = 8; // ! |
const IS_WORD = IS_LETTER | IS_DIGIT | IS_LEET | IS_BANG;
const IS_RUN = 16; // base64 / hex alphabet
const IS_PERCENT = 32;
const BITS = new Uint8Array(128);
for (let c = 0; c < 128; c += 1) {
  const k = ASCII_CLASS[c];
  if (k === LETTER) BITS[c] = IS_LETTER | IS_RUN;
  else if (k === DIGIT) BITS[c] = IS_DIGIT | IS_RUN;
}
BITS[36] = BITS[64] = IS_LEET; // $ @
BITS[33] = BITS[124] = IS_BANG; // ! |
BITS[43] = BITS[47] = BITS[61] = BITS[45] = BITS[95] = IS_RUN; // + / = - _
BITS[37] = IS_PERCENT;

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
}

function isWordClass(k: number): boolean {
  return k === LETTER || k === DIGIT || k === LEET;
}

function singleAt(text: string, p: number): boolean {
  if (p < 0 || !isWordClass(CLASSES[text.charCodeAt(p)] ?? 0)) return false;
  return p === 0 || !isWordClass(CLASSES[text.charCodeAt(p - 1)] ?? 0);
}

function sepAt(text: string, p: number): boolean {
  return p >= 0 && CLASSES[text.charCodeAt(p)] === SEP;
}

/**
 * One read-only sweep that tells the common case (plain ASCII prose) apart, so it skips every pass
 * that would change nothing. Flags may over-report: they only gate passes that re-check precisely.
 */
export function detect(text: string): number {
  const bits = BITS;
  const n = text.length;
  let flags = 0;
  let seen = 0; // IS_* bits of the current token, plus MIXED_BANG once `!`/`|` sits inside it
  let length = 0;
  let prev1 = -1;
  let prev2 = -1;
  let run = 0;
  for (let i = 0; i <= n; i += 1) {
    const c = i < n ? text.charCodeAt(i) : 32;
    if (c >= 128) return WIDE;
    const b = bits[c]!;
    if ((b & IS_RUN) !== 0) {
      run += 1;
      if (run === MIN_RUN) flags |= ENCODED;
    } else {
      run = 0;
      // A `%` matters only as the start of a %XX triple ("8.3%" is prose).
      if (b === IS_PERCENT && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2))) flags |= ENCODED;
    }
    if ((b & IS_WORD) !== 0) {
      // `!` and `|` only read as letters between word characters ("sure!" is prose).
      if ((seen & PENDING_BANG) !== 0 && (b & IS_BANG) === 0) seen |= INNER_BANG;
      seen = (seen & ~PENDING_BANG) | b | (b === IS_BANG && length > 0 ? PENDING_BANG : 0);
      length += 1;
      const low = c | 32;
      if (b === (IS_LETTER | IS_RUN) && low === prev1 && low === prev2) flags |= REPEAT;
      prev2 = prev1;
      prev1 = b === (IS_LETTER | IS_RUN) ? low : -1;
      continue;
    }
    if (length === 0) continue;
    const letters = (seen & IS_LETTER) !== 0;
    if (
      (letters && (seen & (IS_DIGIT | IS_LEET | INNER_BANG)) !== 0) ||
      ((seen & IS_DIGIT) !== 0 && (seen & IS_BANG) !== 0)
    )
      flags |= MIXED;
    if (length === 1 && sepAt(text, i - 2) && singleAt(text, i - 3) && sepAt(text, i - 4) && singleAt(text, i - 5))
      flags |= SPLIT;
    seen = 0;
    length = 0;
    prev1 = prev2 = -1;
  }
  return flags;
}

const PENDING_BANG = 64;
const INNER_BANG = 128;
