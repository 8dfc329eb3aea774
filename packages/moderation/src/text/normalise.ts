import { ENCODED, MIXED, REPEAT, SPLIT, WIDE, detect } from './fast';
import { findEncoded, type DecodeBudget, type EncodedCandidate } from './decode';
import { applyLiteralSkeletons, joinSplitLetters, readDigitLookalikes, undoLeetAndRepeats, type Units } from './passes';
import { ASCII_CLASS, ASCII_LOWER, LETTER, foldCluster, foldUnit, isInvisible, isMark } from './tables';
import { IdentityView, codesToString, copyInt32, type TextView } from './view';

const LOWER = ASCII_LOWER;
const CLASSES = ASCII_CLASS;

/**
 * What the detectors read (Q30.1, Q30.4). Each view maps back to the original text, so a finding in
 * any of them redacts the original characters.
 *
 * - `folded`: for the keyword automaton and the toxicity model. NFKC, zero-width and bidi controls
 *   removed, lower case, Unicode confusables mapped to their ASCII skeleton, leet undone inside words,
 *   letters split by single separators joined, letters repeated 3+ times cut to two.
 * - `literal`: for PII detectors and rule regexes. NFKC and invisible characters removed, look-alike
 *   letters in Latin words mapped to ASCII, case and digits kept (leet-folding a phone number would
 *   destroy it); O/l read as 0/1 inside mostly-digit tokens.
 * - `decoded`: spans of the original that were base64, hex or %-encoded, decoded, each with its own
 *   folded and literal views; every code unit of those views maps to the whole encoded span (for
 *   %-encoding, to the triples that produced it). At most two levels deep.
 */
export interface NormalisedText {
  readonly original: string;
  readonly folded: TextView;
  readonly literal: TextView;
  readonly decoded: readonly DecodedSpan[];
}

export interface DecodedSpan {
  readonly encoding: 'base64' | 'hex' | 'percent';
  readonly start: number;
  readonly end: number;
  readonly folded: TextView;
  readonly literal: TextView;
  /** 1 for a span found in the original, 2 for one found inside a decoded span. */
  readonly depth: number;
}

/** Scratch arrays reused between calls; a call finishes with them before it recurses into decoded text. */
let capacity = 0;
let fold: Units = {
  code: new Uint16Array(0),
  cls: new Uint8Array(0),
  start: new Int32Array(0),
  end: new Int32Array(0),
};
let lit = { code: new Uint16Array(0), alt: new Uint16Array(0), start: new Int32Array(0), end: new Int32Array(0) };

function grow(needed: number): void {
  if (needed <= capacity) return;
  const size = Math.max(needed, capacity * 2, 256);
  const f = fold;
  const l = lit;
  fold = {
    code: new Uint16Array(size),
    cls: new Uint8Array(size),
    start: new Int32Array(size),
    end: new Int32Array(size),
  };
  lit = {
    code: new Uint16Array(size),
    alt: new Uint16Array(size),
    start: new Int32Array(size),
    end: new Int32Array(size),
  };
  for (const key of ['code', 'cls', 'start', 'end'] as const) fold[key].set(f[key].subarray(0, capacity));
  for (const key of ['code', 'alt', 'start', 'end'] as const) lit[key].set(l[key].subarray(0, capacity));
  capacity = size;
}

interface Stage1 {
  folded: number;
  literal: number;
  alt: boolean;
}

function codePointAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
  }
  return c;
}

/** One sweep: ASCII through the tables, anything else cluster by cluster through `foldCluster`. */
function stage1(text: string): Stage1 {
  const n = text.length;
  grow(n + 16);
  // Locals, not module bindings: the ASCII loop then touches nothing but typed arrays.
  const lower = LOWER;
  const classes = CLASSES;
  let { code: lc, alt: la, start: ls, end: le } = lit;
  let { code: fc, cls: fk, start: fs, end: fe } = fold;
  let f = 0;
  let l = 0;
  let alt = false;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      lc[l] = c;
      la[l] = 0;
      ls[l] = i;
      le[l++] = i + 1;
      fc[f] = lower[c]!;
      fk[f] = classes[c]!;
      fs[f] = i;
      fe[f++] = i + 1;
      i += 1;
      continue;
    }
    let from = i;
    let cp = codePointAt(text, i);
    // An ASCII letter followed by combining marks ("e\u0301") is re-read as one cluster.
    if (isMark(cp) && i > 0 && text.charCodeAt(i - 1) < 128 && classes[text.charCodeAt(i - 1)] === LETTER) {
      from = i - 1;
      f -= 1;
      l -= 1;
    }
    let j = i + (cp > 0xffff ? 2 : 1);
    while (j < n) {
      cp = codePointAt(text, j);
      if (cp < 0x300 || (!isMark(cp) && !isInvisible(cp))) break;
      j += cp > 0xffff ? 2 : 1;
    }
    const cluster = j - from === 1 ? foldUnit(c) : foldCluster(text.slice(from, j));
    grow(Math.max(f + cluster.folded.length, l + cluster.literal.length) + (n - j) + 16);
    ({ code: lc, alt: la, start: ls, end: le } = lit);
    ({ code: fc, cls: fk, start: fs, end: fe } = fold);
    for (let k = 0; k < cluster.literal.length; k += 1) {
      lc[l] = cluster.literal.charCodeAt(k);
      la[l] = cluster.literalAlt;
      ls[l] = from;
      le[l++] = j;
    }
    if (cluster.literalAlt !== 0) alt = true;
    for (let k = 0; k < cluster.folded.length; k += 1) {
      fc[f] = cluster.folded.charCodeAt(k);
      fk[f] = cluster.foldedClass[k]!;
      fs[f] = from;
      fe[f++] = j;
    }
    i = j;
  }
  return { folded: f, literal: l, alt };
}

function view(code: Uint16Array, start: Int32Array, end: Int32Array, n: number): TextView {
  return { text: codesToString(code, n), start: copyInt32(start, n), end: copyInt32(end, n) };
}

interface Level {
  folded: TextView;
  literal: TextView;
  decoded: DecodedSpan[];
}

const MAX_DEPTH = 2;

/** A view of decoded text re-expressed in the coordinates of the text it was decoded from. */
function compose(v: TextView, c: EncodedCandidate): TextView {
  const start = new Int32Array(v.start.length);
  const end = new Int32Array(v.end.length);
  for (let i = 0; i < start.length; i += 1) {
    start[i] = c.from[v.start[i]!]!;
    end[i] = c.to[v.end[i]! - 1]!;
  }
  return { text: v.text, start, end };
}

/**
 * ASCII whose only oddity is tokens mixing letters and digits ("Q1", "B2B", "h3ll0"): leet and digit
 * look-alikes are undone one code unit for one, so both views keep the identity positions and need no
 * offset arrays. Undefined when undoing leet made a letter run that must be cut (the general path).
 */
function mixedAscii(text: string): Level | undefined {
  const n = text.length;
  grow(n + 16);
  const lower = LOWER;
  const classes = CLASSES;
  const { code: fc, cls: fk } = fold;
  const lc = lit.code;
  for (let i = 0; i < n; i += 1) {
    const c = text.charCodeAt(i);
    fc[i] = lower[c]!;
    fk[i] = classes[c]!;
    lc[i] = c;
  }
  const leet = { changed: false };
  if (undoLeetAndRepeats(fold, n, leet) !== n) return undefined;
  const digitsChanged = readDigitLookalikes(lc, n);
  return {
    folded: new IdentityView(leet.changed ? codesToString(fc, n) : text.toLowerCase()),
    literal: new IdentityView(digitsChanged ? codesToString(lc, n) : text),
    decoded: [],
  };
}

function normaliseLevel(text: string, depth: number, budgets: readonly DecodeBudget[], shortcuts: boolean): Level {
  const flags = detect(text);
  // Q30.1: plain ASCII prose, the usual chat reply, is its own literal view and its lower case.
  if (shortcuts && flags === 0)
    return { folded: new IdentityView(text.toLowerCase()), literal: new IdentityView(text), decoded: [] };
  if (shortcuts && flags === MIXED) {
    const level = mixedAscii(text);
    if (level !== undefined) return level;
  }
  const wide = (flags & WIDE) !== 0;
  const s = stage1(text);
  const scan = depth < MAX_DEPTH && (wide || (flags & ENCODED) !== 0);
  const candidates = scan ? findEncoded(lit.code, s.literal, lit.start, lit.end, budgets[depth]!) : [];
  if (s.alt) applyLiteralSkeletons(lit.code, lit.alt, s.literal);
  const digitsChanged = (wide || (flags & MIXED) !== 0) && readDigitLookalikes(lit.code, s.literal);
  const literal = !wide && !digitsChanged ? new IdentityView(text) : view(lit.code, lit.start, lit.end, s.literal);
  const joined = wide || (flags & SPLIT) !== 0 ? joinSplitLetters(fold, s.folded) : s.folded;
  const leet = { changed: false };
  const n = wide || (flags & (MIXED | REPEAT)) !== 0 ? undoLeetAndRepeats(fold, joined, leet) : joined;
  // Nothing joined, undone or cut: the folded text of ASCII input is its lower case.
  const folded =
    !wide && n === text.length && !leet.changed
      ? new IdentityView(text.toLowerCase())
      : view(fold.code, fold.start, fold.end, n);
  const decoded: DecodedSpan[] = [];
  for (const c of candidates) {
    const inner = normaliseLevel(c.text, depth + 1, budgets, shortcuts);
    decoded.push({
      encoding: c.encoding,
      start: c.start,
      end: c.end,
      folded: compose(inner.folded, c),
      literal: compose(inner.literal, c),
      depth: depth + 1,
    });
    for (const d of inner.decoded) {
      const f = compose(d.folded, c);
      const spanStart = f.start.length > 0 ? f.start[0]! : c.start;
      const spanEnd = f.end.length > 0 ? f.end[f.end.length - 1]! : c.end;
      decoded.push({ ...d, start: spanStart, end: spanEnd, folded: f, literal: compose(d.literal, c) });
    }
  }
  return { folded, literal, decoded };
}

/**
 * Normalises `original` into its folded, literal and decoded views (Q30.1, Q30.4). Linear in the
 * input: one sweep per pass; the decoded text of each level is at most as long as the input.
 */
export function normalise(original: string): NormalisedText {
  return normaliseText(original, true);
}

/** `normalise` with every pass run whatever the text: the reference its shortcuts are tested against. */
export function normaliseWithoutShortcuts(original: string): NormalisedText {
  return normaliseText(original, false);
}

function normaliseText(original: string, shortcuts: boolean): NormalisedText {
  // Each level may decode at most the input's length in total, so all of them stay within 2×.
  const budgets = [{ left: original.length }, { left: original.length }];
  const level = normaliseLevel(original, 0, budgets, shortcuts);
  return { original, folded: level.folded, literal: level.literal, decoded: level.decoded };
}
