import { groupLengths, softBoundary, usable, windowDigits, type DigitChunk } from './chunks';
import { contextBefore } from './context';
import { clampScore, type PiiHit, type ScanInput } from './hit';

/**
 * Q25.1 dates of birth. Dates are m/d/yyyy, d.m.yyyy, d-m-yyyy, yyyy-mm-dd (day and month checked)
 * or "March 3, 1980" / "3 March 1980" / "3. März 1980". Score: 0.85 after a birth context word
 * ("born", "DOB", "date of birth", "geboren", "nascido", "nascimento"); 0.5 for a year 1900–2015
 * (plausible for a living adult or child); any other date 0.25, i.e. dropped at the default minScore.
 */
const CONTEXT = [
  'born',
  'dob',
  'd.o.b',
  'date of birth',
  'birth',
  'birthday',
  'geboren',
  'geb.',
  'geburtsdatum',
  'nascido',
  'nascida',
  'nascimento',
  'nasc.',
  'fecha de nacimiento',
];
const MONTHS =
  'jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december|januar|februar|märz|mai|juni|juli|oktober|dezember|janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro';
// Applied only to the 30 characters before a year, and neither pattern nests quantifiers.
const MONTH_DAY = new RegExp(`(?:^|[^\\p{L}])((?:${MONTHS})\\.? \\d{1,2}(?:st|nd|rd|th)?,? )$`, 'u');
const DAY_MONTH = new RegExp(
  `(?:^|[^\\p{L}\\d])(\\d{1,2}(?:st|nd|rd|th|\\.)? (?:de )?(?:${MONTHS})\\.?,? (?:de )?)$`,
  'u',
);

function scoreFor(input: ScanInput, from: number, year: number): number {
  if (contextBefore(input.lower, from, CONTEXT)) return 0.85;
  return year >= 1900 && year <= 2015 ? 0.5 : 0.25;
}

function numericDate(text: string, chunk: DigitChunk, k: number): [number, number] | null {
  const sep = chunk.seps[k]!;
  if (chunk.seps[k + 1] !== sep || !['/', '-', '.'].includes(sep)) return null;
  const [a, b, c] = groupLengths(chunk, k, k + 2);
  const n = [0, 1, 2].map((d) => Number(windowDigits(text, chunk, k + d, k + d)));
  let year: number;
  let first: number;
  let second: number;
  if (a === 4 && b! <= 2 && c! <= 2) [year, first, second] = [n[0]!, n[1]!, n[2]!];
  else if (c === 4 && a! <= 2 && b! <= 2) [year, first, second] = [n[2]!, n[0]!, n[1]!];
  else return null;
  if (year < 1900 || year > 2099 || first < 1 || second < 1) return null;
  // Either order (US month/day, elsewhere day/month) as long as one reading is a real date.
  const ok = (first <= 12 && second <= 31) || (second <= 12 && first <= 31);
  return ok ? [year, 0] : null;
}

export function detectDatesOfBirth(input: ScanInput, out: PiiHit[]): void {
  const { text, lower } = input;
  for (const chunk of input.chunks) {
    if (!usable(chunk)) continue;
    const last = chunk.groups.length - 1;
    for (let k = 0; k <= last; k += 1) {
      if (k + 2 <= last && softBoundary(chunk, k, k + 2)) {
        const date = numericDate(text, chunk, k);
        if (date) {
          const from = chunk.groups[k]!.from;
          out.push({ type: 'date_of_birth', from, to: chunk.groups[k + 2]!.to, score: scoreFor(input, from, date[0]) });
          k += 2;
          continue;
        }
      }
      const g = chunk.groups[k]!;
      if (g.to - g.from !== 4 || (k > 0 && !chunk.seps[k - 1]!.includes(' '))) continue;
      const year = Number(text.slice(g.from, g.to));
      if (year < 1900 || year > 2099) continue;
      const before = lower.slice(Math.max(0, g.from - 30), g.from);
      const m = MONTH_DAY.exec(before) ?? DAY_MONTH.exec(before);
      if (!m) continue;
      const from = g.from - m[1]!.length;
      out.push({ type: 'date_of_birth', from, to: g.to, score: clampScore(scoreFor(input, from, year)) });
    }
  }
}
