import { codesToString } from './view';

/** An encoded stretch of a text, decoded; `from[k]`/`to[k]` give the text span behind decoded unit k. */
export interface EncodedCandidate {
  readonly encoding: 'base64' | 'hex' | 'percent';
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly from: Int32Array;
  readonly to: Int32Array;
}

/** Decoded code units left to spend; shared across levels so the total stays within the input length. */
export interface DecodeBudget {
  left: number;
}

const MIN_RUN = 16;
const B64 = new Uint8Array(128); // 1: standard alphabet, 2: base64url only, 3: both
const HEX = new Int8Array(128).fill(-1);
const URLISH = new Uint8Array(128);
for (let c = 0; c < 128; c += 1) {
  const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (alnum) B64[c] = 3;
  if (c > 32 && c < 127 && !'"<>`{}\\^|'.includes(String.fromCharCode(c))) URLISH[c] = 1;
}
B64[43] = B64[47] = 1; // + /
B64[45] = B64[95] = 2; // - _
for (let d = 0; d < 10; d += 1) HEX[48 + d] = d;
for (let d = 0; d < 6; d += 1) HEX[65 + d] = HEX[97 + d] = 10 + d;

function b64(c: number): number {
  return c < 128 ? B64[c]! : 0;
}

function hex(c: number): number {
  return c < 128 ? HEX[c]! : -1;
}

interface Decoded {
  codes: Uint16Array;
  from: Int32Array;
  to: Int32Array;
}

/**
 * Strict UTF-8 (no overlongs, surrogates or values past U+10FFFF). `byteFrom`/`byteTo` give each
 * byte's span; a decoded character maps to its first byte's start and last byte's end.
 */
function utf8(bytes: Uint8Array, byteFrom: Int32Array, byteTo: Int32Array): Decoded | null {
  const n = bytes.length;
  const codes = new Uint16Array(n);
  const from = new Int32Array(n);
  const to = new Int32Array(n);
  let w = 0;
  let k = 0;
  while (k < n) {
    const b = bytes[k]!;
    let len = 1;
    let cp = b;
    if (b >= 0x80) {
      if (b >= 0xc2 && b <= 0xdf) [len, cp] = [2, b & 0x1f];
      else if (b >= 0xe0 && b <= 0xef) [len, cp] = [3, b & 0x0f];
      else if (b >= 0xf0 && b <= 0xf4) [len, cp] = [4, b & 0x07];
      else return null;
      if (k + len > n) return null;
      for (let q = 1; q < len; q += 1) {
        const c = bytes[k + q]!;
        if ((c & 0xc0) !== 0x80) return null;
        cp = (cp << 6) | (c & 0x3f);
      }
      if (
        (len === 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (len === 4 && (cp < 0x10000 || cp > 0x10ffff))
      )
        return null;
    }
    const f = byteFrom[k]!;
    const t = byteTo[k + len - 1]!;
    if (cp > 0xffff) {
      codes[w] = 0xd800 + ((cp - 0x10000) >> 10);
      from[w] = f;
      to[w++] = t;
      cp = 0xdc00 + ((cp - 0x10000) & 0x3ff);
    }
    codes[w] = cp;
    from[w] = f;
    to[w++] = t;
    k += len;
  }
  return { codes: codes.subarray(0, w), from: from.subarray(0, w), to: to.subarray(0, w) };
}

/** Mostly readable text: few control characters, at least half letters, digits, spaces or non-ASCII. */
function readable(codes: Uint16Array): boolean {
  let control = 0;
  let wordy = 0;
  for (const c of codes) {
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || (c >= 0x7f && c <= 0x9f) || c === 0xfffd) control += 1;
    else if (c === 32 || c >= 0xa0 || (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122)) wordy += 1;
  }
  return codes.length >= 4 && control * 10 <= codes.length && wordy * 2 >= codes.length;
}

function accept(
  out: EncodedCandidate[],
  budget: DecodeBudget,
  encoding: EncodedCandidate['encoding'],
  decoded: Decoded | null,
  start: number,
  end: number,
): boolean {
  if (decoded === null || !readable(decoded.codes) || decoded.codes.length > budget.left) return false;
  budget.left -= decoded.codes.length;
  const text = codesToString(decoded.codes, decoded.codes.length);
  out.push({ encoding, start, end, text, from: decoded.from.slice(), to: decoded.to.slice() });
  return true;
}

function whole(length: number, value: number): Int32Array {
  return new Int32Array(length).fill(value);
}

/** Q30.4: base64 / base64url and hex runs of at least 16 characters; each unit maps to the whole run. */
function findRuns(
  code: Uint16Array,
  n: number,
  start: Int32Array,
  end: Int32Array,
  budget: DecodeBudget,
  out: EncodedCandidate[],
): void {
  let i = 0;
  while (i < n) {
    if (b64(code[i]!) === 0) {
      i += 1;
      continue;
    }
    let j = i;
    let alphabet = 3;
    while (j < n && b64(code[j]!) !== 0) alphabet &= b64(code[j++]!);
    let padded = j;
    while (padded < n && padded - j < 2 && code[padded] === 61) padded += 1;
    if (j - i >= MIN_RUN && budget.left > 0) {
      const spanStart = start[i]!;
      const spanEnd = end[padded - 1]!;
      let h = i + (code[i] === 48 && (code[i + 1] === 120 || code[i + 1] === 88) ? 2 : 0);
      const hexStart = h;
      while (h < j && hex(code[h]!) >= 0) h += 1;
      let done = false;
      if (h === j && padded === j && j - hexStart >= MIN_RUN && (j - hexStart) % 2 === 0) {
        const bytes = new Uint8Array((j - hexStart) / 2);
        for (let b = 0; b < bytes.length; b += 1)
          bytes[b] = hex(code[hexStart + 2 * b]!) * 16 + hex(code[hexStart + 2 * b + 1]!);
        const d = utf8(bytes, whole(bytes.length, spanStart), whole(bytes.length, spanEnd));
        done = accept(out, budget, 'hex', d, spanStart, spanEnd);
      }
      const len = j - i;
      const pad = padded - j;
      if (!done && alphabet !== 0 && len % 4 !== 1 && (pad === 0 || (len + pad) % 4 === 0)) {
        const bytes = new Uint8Array(Buffer.from(codesToString(code.subarray(i, j), len), 'base64'));
        const d = utf8(bytes, whole(bytes.length, spanStart), whole(bytes.length, spanEnd));
        accept(out, budget, 'base64', d, spanStart, spanEnd);
      }
    }
    i = padded;
  }
}

/** Q30.4: URL-ish stretches with at least two %XX triples; each decoded character maps to its own triple(s). */
function findPercent(
  code: Uint16Array,
  n: number,
  start: Int32Array,
  end: Int32Array,
  budget: DecodeBudget,
  out: EncodedCandidate[],
): void {
  let i = 0;
  while (i < n) {
    if (code[i]! >= 128 || URLISH[code[i]!] === 0) {
      i += 1;
      continue;
    }
    let j = i;
    let triples = 0;
    while (j < n && code[j]! < 128 && URLISH[code[j]!] === 1) {
      if (code[j] === 37 && j + 2 < n && hex(code[j + 1]!) >= 0 && hex(code[j + 2]!) >= 0) {
        triples += 1;
        j += 3;
      } else j += 1;
    }
    if (triples >= 2 && budget.left > 0) {
      const bytes = new Uint8Array(j - i);
      const byteFrom = new Int32Array(j - i);
      const byteTo = new Int32Array(j - i);
      let b = 0;
      for (let p = i; p < j; b += 1) {
        const triple = code[p] === 37 && p + 2 < j && hex(code[p + 1]!) >= 0 && hex(code[p + 2]!) >= 0;
        const width = triple ? 3 : 1;
        bytes[b] = triple ? hex(code[p + 1]!) * 16 + hex(code[p + 2]!) : code[p]!;
        byteFrom[b] = start[p]!;
        byteTo[b] = end[p + width - 1]!;
        p += width;
      }
      const d = utf8(bytes.subarray(0, b), byteFrom, byteTo);
      accept(out, budget, 'percent', d, start[i]!, end[j - 1]!);
    }
    i = j;
  }
}

/** Encoded stretches of `code[0, n)`, each decoded; spans are in the coordinates of `start`/`end`. */
export function findEncoded(
  code: Uint16Array,
  n: number,
  start: Int32Array,
  end: Int32Array,
  budget: DecodeBudget,
): EncodedCandidate[] {
  const out: EncodedCandidate[] = [];
  findRuns(code, n, start, end, budget, out);
  if (code.subarray(0, n).indexOf(37) >= 0) findPercent(code, n, start, end, budget, out);
  return out;
}
