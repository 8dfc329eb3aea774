import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { groupLengths, softBoundary, usable, windowDigitCount, windowDigits, type DigitChunk } from './chunks';
import { contextAfter, contextBefore } from './context';
import { clampScore, type PiiHit, type ScanInput } from './hit';

/**
 * Q25.1 phone numbers. Candidates are digit chunks of 7–15 digits (6 when written as three pairs)
 * with phone separators (space, dash, dot, parentheses, an "x123" extension). A candidate that
 * libphonenumber (full metadata: it checks number ranges, not only lengths) accepts as valid for its
 * country or `defaultCountry` scores 0.8. Otherwise the shape decides: a '+', a parenthesised area
 * code, an extension, three or more groups, a trunk '0' or the 3-4 local form score 0.55; other
 * shapes 0.45, so they need context. Context ("phone", "Telefon", "call", "fax" before, "office",
 * "mobile" after) adds 0.3. Dates, dotted quads and AAA-GG-SSSS are left to their own detectors.
 */
const BEFORE = ['phone', 'telefone', 'telefon', 'tel', 'call', 'mobile', 'cell', 'fax', 'whatsapp', 'celular'];
// "Apt. 722 20 40 rue …": numbers right after a unit word are part of an address.
const UNIT_WORDS = ['apt', 'suite', 'unit', 'box', 'ste', 'room', 'no.'];
const AFTER = ['office', 'fax', 'mobile', 'cell', 'home', 'work'];

/** Full-metadata parsing costs a few µs; past this many candidates in one text only shapes decide. */
const MAX_PARSES = 64;
const PHONE_SEPS = new Set([' ', '-', '.', ')', ') ', ')-', ' - ', ' (', '(', '-(']);

function looksLikeDate(text: string, chunk: DigitChunk, gi: number, gj: number): boolean {
  for (let k = gi; k + 2 <= gj; k += 1) {
    if (chunk.seps[k] !== chunk.seps[k + 1]) continue;
    const [a, b, c] = groupLengths(chunk, k, k + 2);
    const year = a === 4 ? k : c === 4 ? k + 2 : -1;
    if (year < 0 || b! > 2) continue;
    const y = Number(windowDigits(text, chunk, year, year));
    if (y >= 1900 && y <= 2099) return true;
  }
  return false;
}

function looksLikeIpv4(chunk: DigitChunk, gi: number, gj: number): boolean {
  return gj - gi === 3 && chunk.seps.slice(gi, gj).every((s) => s === '.');
}

function strongShape(text: string, chunk: DigitChunk, gi: number, gj: number, from: number, hasExt: boolean): boolean {
  const c = text.charCodeAt(from);
  if (c === 43 || c === 40 || hasExt || gj - gi >= 2) return true;
  const lengths = groupLengths(chunk, gi, gj);
  if (lengths.length === 2 && (text[chunk.groups[gi]!.from] === '0' || lengths.join('-') === '3-4')) return true;
  return false;
}

interface Budget {
  parses: number;
}

function validNumber(digits: string, plus: boolean, country: string, budget: Budget): boolean {
  if (budget.parses >= MAX_PARSES) return false;
  budget.parses += 1;
  // Bare digits (E.164 when international) skip libphonenumber's own extraction pass, about half its cost.
  const number = plus ? `+${digits}` : digits.startsWith('00') ? `+${digits.slice(2)}` : digits;
  try {
    const parsed = parsePhoneNumberFromString(number, country as CountryCode);
    return parsed !== undefined && parsed.isValid();
  } catch {
    return false;
  }
}

function tryWindow(input: ScanInput, chunk: DigitChunk, gi: number, gj: number, budget: Budget): PiiHit | null {
  const { text, lower } = input;
  const count = windowDigitCount(chunk, gi, gj);
  const groups = gj - gi + 1;
  if (count > 15 || count < 6 || (count === 6 && !groupLengths(chunk, gi, gj).every((l) => l === 2))) return null;
  if (groups === 1 && count < 10) return null;
  for (let k = gi; k < gj; k += 1) if (!PHONE_SEPS.has(chunk.seps[k]!)) return null;
  if (!softBoundary(chunk, gi, gj) || looksLikeDate(text, chunk, gi, gj) || looksLikeIpv4(chunk, gi, gj)) return null;
  if (groupLengths(chunk, gi, gj).join('-') === '3-2-4' && chunk.seps[gi] === '-') return null;
  let from = gi === 0 ? chunk.lead : chunk.groups[gi]!.from;
  if (gi > 0 && chunk.seps[gi - 1]!.endsWith('(')) from -= 1;
  const hasExt = gj === chunk.groups.length - 1 && chunk.extTo > 0;
  const to = hasExt ? chunk.extTo : chunk.groups[gj]!.to;
  let score: number;
  const plus = text.charCodeAt(from) === 43 || text.charCodeAt(from + 1) === 43;
  if (validNumber(windowDigits(text, chunk, gi, gj), plus, input.defaultCountry, budget)) score = 0.8;
  else score = strongShape(text, chunk, gi, gj, from, hasExt) ? 0.55 : 0.45;
  if (contextBefore(lower, from, UNIT_WORDS, 8)) return null;
  if (contextBefore(lower, from, BEFORE) || contextAfter(lower, to, AFTER)) score += 0.3;
  return { type: 'phone', from, to, score: clampScore(score) };
}

/** Spans that checksum detectors already claimed with confidence, sorted, so phones skip them unparsed. */
function claimedSpans(out: readonly PiiHit[]): [number, number][] {
  const spans: [number, number][] = [];
  for (const h of out) if (h.score >= 0.8 && h.type !== 'phone') spans.push([h.from, h.to]);
  return spans.sort((a, b) => a[0] - b[0]);
}

function overlapsClaimed(spans: readonly [number, number][], from: number, to: number): boolean {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]![0] < to) lo = mid + 1;
    else hi = mid;
  }
  // spans[lo - 1] is the last span starting before `to`; claimed spans do not overlap each other much.
  for (let k = lo - 1; k >= 0 && k >= lo - 4; k -= 1) if (spans[k]![1] > from) return true;
  return false;
}

export function detectPhones(input: ScanInput, out: PiiHit[]): void {
  const budget: Budget = { parses: 0 };
  const claimed = claimedSpans(out);
  for (const chunk of input.chunks) {
    if (!usable(chunk) || chunk.digitsBefore[chunk.groups.length]! < 6) continue;
    const last = chunk.groups.length - 1;
    let gi = 0;
    while (gi <= last) {
      let next = gi + 1;
      for (let gj = last; gj >= gi; gj -= 1) {
        if (windowDigitCount(chunk, gi, gj) > 15) continue;
        if (claimed.length > 0 && overlapsClaimed(claimed, chunk.groups[gi]!.from, chunk.groups[gj]!.to)) continue;
        const hit = tryWindow(input, chunk, gi, gj, budget);
        if (hit) {
          out.push(hit);
          next = gj + 1;
          break;
        }
      }
      gi = next;
    }
  }
}
