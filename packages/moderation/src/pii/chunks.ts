import { isDigit, isLetterAt } from './context';

/**
 * Q25.1: one linear scan cuts the text into digit chunks — runs of digit groups joined by the
 * separators people type inside numbers ("4111 1111", "(11) 4706-6184", "000.000.000-00"). Every
 * digit-based detector reads these instead of rescanning the text.
 */
export interface DigitGroup {
  from: number;
  to: number;
}

export interface DigitChunk {
  /** Offset of a leading '+' or '(' when present, else of the first digit. */
  lead: number;
  groups: DigitGroup[];
  /** `seps[k]` is the text between group k and group k + 1. */
  seps: string[];
  /** End of a phone extension ("x1887", " ext. 12") after the last group, else -1. */
  extTo: number;
  /** A letter touches the chunk ("GB69PMNJ1891…", "abc123"): not a free-standing number. */
  glued: boolean;
  /** `digitsBefore[k]`: digits in groups 0..k-1 (length groups + 1). */
  digitsBefore: number[];
}

/** Beyond this many groups a chunk is a table of numbers, not a typed identifier; detectors skip it. */
export const MAX_GROUPS = 64;

const SEPARATORS = new Set([' ', '-', '.', '/', ')', ') ', ')-', ' - ', ' (', '(', '-(', '. ']);

function isSepChar(code: number): boolean {
  return code === 32 || code === 45 || code === 46 || code === 47 || code === 40 || code === 41;
}

function extensionEnd(text: string, i: number): number {
  let j = i;
  if (text.charCodeAt(j) === 32) j += 1;
  if (text.startsWith('ext', j)) {
    j += 3;
    if (text.charCodeAt(j) === 46) j += 1;
  } else if (text.charCodeAt(j) === 120) j += 1;
  else return -1;
  if (text.charCodeAt(j) === 32) j += 1;
  const start = j;
  while (j < text.length && j - start < 7 && isDigit(text.charCodeAt(j))) j += 1;
  if (j === start || j - start > 6 || isLetterAt(text, j) || isDigit(text.charCodeAt(j))) return -1;
  return j;
}

export function scanDigitChunks(text: string): DigitChunk[] {
  const chunks: DigitChunk[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isDigit(text.charCodeAt(i))) {
      i += 1;
      continue;
    }
    let lead = i;
    const before = text.charCodeAt(i - 1);
    if (before === 40 || before === 43) lead = i - 1;
    if (before === 40 && text.charCodeAt(i - 2) === 43) lead = i - 2;
    let glued = isLetterAt(text, lead - 1);
    const groups: DigitGroup[] = [];
    const seps: string[] = [];
    const digitsBefore = [0];
    for (;;) {
      const from = i;
      while (i < n && isDigit(text.charCodeAt(i))) i += 1;
      groups.push({ from, to: i });
      digitsBefore.push(digitsBefore[digitsBefore.length - 1]! + (i - from));
      let j = i;
      while (j < n && j - i < 3 && isSepChar(text.charCodeAt(j))) j += 1;
      if (j > i && j < n && isDigit(text.charCodeAt(j))) {
        const sep = text.slice(i, j);
        if (SEPARATORS.has(sep)) {
          seps.push(sep);
          i = j;
          continue;
        }
      }
      break;
    }
    const extTo = extensionEnd(text, i);
    const end = extTo > 0 ? extTo : i;
    if (isLetterAt(text, end)) glued = true;
    chunks.push({ lead, groups, seps, extTo, glued, digitsBefore });
    i = end;
  }
  return chunks;
}

/** The digits of groups gi..gj (inclusive). */
export function windowDigits(text: string, chunk: DigitChunk, gi: number, gj: number): string {
  if (gi === gj) return text.slice(chunk.groups[gi]!.from, chunk.groups[gi]!.to);
  let s = '';
  for (let k = gi; k <= gj; k += 1) s += text.slice(chunk.groups[k]!.from, chunk.groups[k]!.to);
  return s;
}

export function windowDigitCount(chunk: DigitChunk, gi: number, gj: number): number {
  return chunk.digitsBefore[gj + 1]! - chunk.digitsBefore[gi]!;
}

/**
 * A window may start or end inside a chunk only at a separator with a space or a slash in it
 * ("4111 1111 1111 1111 05/27"); "123-45-6789-0" is one number, not an SSN with a tail.
 */
export function softBoundary(chunk: DigitChunk, gi: number, gj: number): boolean {
  const left = gi === 0 || /[ /]/.test(chunk.seps[gi - 1]!);
  const right = gj === chunk.groups.length - 1 || /[ /]/.test(chunk.seps[gj]!);
  return left && right;
}

/** Separators inside the window gi..gj, all equal to one of `allowed`; returns it or null. */
export function uniformSep(chunk: DigitChunk, gi: number, gj: number, allowed: readonly string[]): string | null {
  if (gi === gj) return '';
  const first = chunk.seps[gi]!;
  if (!allowed.includes(first)) return null;
  for (let k = gi + 1; k < gj; k += 1) if (chunk.seps[k] !== first) return null;
  return first;
}

export function groupLengths(chunk: DigitChunk, gi: number, gj: number): number[] {
  const out: number[] = [];
  for (let k = gi; k <= gj; k += 1) out.push(chunk.groups[k]!.to - chunk.groups[k]!.from);
  return out;
}

export function usable(chunk: DigitChunk): boolean {
  return !chunk.glued && chunk.groups.length <= MAX_GROUPS;
}
