import { DIGIT, LEET, LEET_TO, LETTER, SEP } from './tables';

/**
 * The token passes over the folded and literal code units. Each compacts its arrays in place (the
 * write index never passes the read index), so every pass is one linear sweep.
 */
export interface Units {
  code: Uint16Array;
  cls: Uint8Array;
  start: Int32Array;
  end: Int32Array;
}

const DOLLAR = 36;
const AT = 64;

function isWord(cls: number): boolean {
  return cls === LETTER || cls === DIGIT || cls === LEET;
}

function move(u: Units, from: number, to: number): void {
  if (from === to) return;
  u.code[to] = u.code[from]!;
  u.cls[to] = u.cls[from]!;
  u.start[to] = u.start[from]!;
  u.end[to] = u.end[from]!;
}

function joinable(u: Units, i: number): boolean {
  const cls = u.cls[i]!;
  return cls === LETTER || cls === DIGIT || u.code[i] === DOLLAR || u.code[i] === AT;
}

/**
 * Q30.1: "f u c k", "f.u.c.k", "f_u_c_k" → "fuck". A run needs at least three single-character
 * tokens split by one and the same separator, two of them letters and letters at least half, so
 * "I am a b" and "1 2 3" stay as they are. The dropped separators fall inside the joined word's span.
 */
export function joinSplitLetters(u: Units, n: number): number {
  const { code, cls } = u;
  let w = 0;
  let i = 0;
  while (i < n) {
    if (!isWord(cls[i]!)) {
      move(u, i, w++);
      i += 1;
      continue;
    }
    let j = i + 1;
    while (j < n && isWord(cls[j]!)) j += 1;
    if (j === i + 1 && j + 1 < n && cls[j] === SEP && joinable(u, i)) {
      const sep = code[j]!;
      let last = i;
      let count = 1;
      let letters = cls[i] === LETTER ? 1 : 0;
      for (;;) {
        const t = last + 2;
        if (t >= n || cls[last + 1] !== SEP || code[last + 1] !== sep || !joinable(u, t)) break;
        if (t + 1 < n && isWord(cls[t + 1]!)) break;
        last = t;
        count += 1;
        if (cls[t] === LETTER) letters += 1;
      }
      if (count >= 3) {
        const join = letters >= 2 && letters * 2 >= count;
        // Not joined: copy the whole run so its singles are not tried again (keeps this linear).
        for (let p = i; p <= last; p += join ? 2 : 1) move(u, p, w++);
        i = last + 1;
        continue;
      }
    }
    while (i < j) move(u, i++, w++);
  }
  return w;
}

const UNIT_SUFFIXES = new Set(['st', 'nd', 'rd', 'th', 'k', 'm', 'b', 'd', 'g', 'h', 's', 'x', 'am', 'pm', 'kg']);
for (const unit of ['mg', 'km', 'cm', 'mm', 'gb', 'mb', 'tb', 'px', 'ms', 'hz', 'ft', 'lb', 'lbs', 'min', 'hrs'])
  UNIT_SUFFIXES.add(unit);

/** "10am", "3rd", "500mg", "covid19": numbers with a unit or a name with a number, not leet. */
function isNumberWord(u: Units, i: number, j: number): boolean {
  const { code, cls } = u;
  let d = i;
  while (d < j && cls[d] === DIGIT) d += 1;
  if (d > i) {
    let e = d;
    while (e < j && cls[e] === LETTER && code[e]! < 128) e += 1;
    if (e !== j || e === d) return false;
    if (d - i >= 2) return true;
    return j - d <= 3 && UNIT_SUFFIXES.has(String.fromCharCode(...code.subarray(d, j)));
  }
  let a = i;
  while (a < j && cls[a] === LETTER) a += 1;
  let b = a;
  while (b < j && cls[b] === DIGIT) b += 1;
  return a - i >= 3 && b === j && b - a >= 2;
}

/**
 * Q30.1: leet undone only inside a token with a letter (h3ll0, $h1t, @ss, sh!t; "2024" stays). `!` and
 * `|` count only between word characters so "wow!" stays "wow!". Then a letter repeated three or
 * more times keeps two ("fuuuuck" → "fuuck", "asssss" → "ass": one would break ass/xxx/pussy); the
 * last kept one's span grows over the dropped ones so redaction still covers them.
 */
export function undoLeetAndRepeats(u: Units, n: number, stats: { changed: boolean }): number {
  const { code, cls, end } = u;
  let w = 0;
  let i = 0;
  while (i < n) {
    if (!isWord(cls[i]!)) {
      move(u, i, w++);
      i += 1;
      continue;
    }
    let j = i;
    let letters = 0;
    let digits = 0;
    let lookalikes = 0;
    for (; j < n && isWord(cls[j]!); j += 1) {
      const c = code[j]!;
      if (cls[j] === LETTER) {
        letters += 1;
        if (c === 108 || c === 111 || c === 105) lookalikes += 1;
      } else if (cls[j] === DIGIT) digits += 1;
    }
    // "11l1" is a number with a look-alike in it, not a word.
    const number = digits * 2 > j - i && lookalikes === letters;
    if (letters > 0 && !number && !isNumberWord(u, i, j)) {
      for (let p = i; p < j; p += 1) {
        const c = code[p]!;
        if (c >= 128 || LEET_TO[c] === 0) continue;
        if (cls[p] === LEET && c !== DOLLAR && c !== AT && (p === i || p === j - 1)) continue;
        code[p] = LEET_TO[c]!;
        cls[p] = LETTER;
        stats.changed = true;
      }
    }
    const tokenStart = w;
    for (let p = i; p < j; p += 1) {
      const c = code[p]!;
      if (w - tokenStart >= 2 && cls[p] === LETTER && code[w - 1] === c && code[w - 2] === c) {
        end[w - 1] = end[p]!;
        continue;
      }
      move(u, p, w++);
    }
    i = j;
  }
  return w;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Q30.4: in a token that also has ASCII letters or digits, a look-alike letter takes its ASCII
 * skeleton ("jоhn@example.com" with a Cyrillic о). All-Cyrillic or all-Greek words stay as written.
 */
export function applyLiteralSkeletons(code: Uint16Array, alt: Uint16Array, n: number): void {
  let i = 0;
  while (i < n) {
    if (isSpace(code[i]!)) {
      i += 1;
      continue;
    }
    let j = i;
    let latin = false;
    let confusable = false;
    for (; j < n && !isSpace(code[j]!); j += 1) {
      if (isAsciiAlnum(code[j]!)) latin = true;
      else if (alt[j] !== 0) confusable = true;
    }
    if (latin && confusable) for (let p = i; p < j; p += 1) if (alt[p] !== 0) code[p] = alt[p]!;
    i = j;
  }
}

/** Q30.4: "11l1", "2O24": in a token of mostly digits, O/o read as 0 and l/I/| as 1. Returns whether any changed. */
export function readDigitLookalikes(code: Uint16Array, n: number): boolean {
  let changed = false;
  let i = 0;
  while (i < n) {
    if (!isAsciiAlnum(code[i]!) && code[i] !== 124) {
      i += 1;
      continue;
    }
    let j = i;
    let digits = 0;
    for (; j < n && (isAsciiAlnum(code[j]!) || code[j] === 124); j += 1) if (code[j]! <= 57) digits += 1;
    if (digits >= 2 && digits * 2 > j - i && digits < j - i) {
      for (let p = i; p < j; p += 1) {
        const c = code[p]!;
        if (c === 79 || c === 111) code[p] = 48;
        else if (c === 108 || c === 73 || c === 124) code[p] = 49;
        else continue;
        changed = true;
      }
    }
    i = j;
  }
  return changed;
}
