import { groupLengths, softBoundary, uniformSep, usable, windowDigitCount, windowDigits } from './chunks';
import { luhnValid } from './checksums';
import { contextBefore } from './context';
import { clampScore, type PiiHit, type ScanInput } from './hit';

/**
 * Q25.1 credit cards: 13–19 digits written as one run, in groups of four (Amex 4-6-5, Diners 4-6-4)
 * or spaced out digit by digit, one separator kind (space or dash), Luhn-valid.
 * Score: 0.6 Luhn only; 0.85 when the prefix and length match a known scheme; +0.15 with context.
 */
const CONTEXT = ['card', 'credit', 'cc', 'visa', 'mastercard', 'amex', 'karte', 'kreditkarte', 'cartão', 'cartao'];

function knownScheme(d: string): boolean {
  const len = d.length;
  const p2 = Number(d.slice(0, 2));
  const p4 = Number(d.slice(0, 4));
  if (d[0] === '4') return len === 13 || len === 16 || len === 19;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len === 16;
  if (p2 === 34 || p2 === 37) return len === 15;
  if (p4 === 6011 || p2 === 65 || (p4 >= 6440 && p4 <= 6499)) return len >= 16;
  if (p4 >= 3528 && p4 <= 3589) return len >= 16;
  if (p2 === 36 || p2 === 38 || p2 === 30) return len >= 14;
  if (p2 === 62) return len >= 16;
  return false;
}

function groupingOk(lengths: number[]): boolean {
  if (lengths.length === 1) return true;
  if (lengths.every((l) => l === 1)) return true;
  const shape = lengths.join('-');
  if (shape === '4-6-5' || shape === '4-6-4') return true;
  for (let k = 0; k < lengths.length - 1; k += 1) if (lengths[k] !== 4) return false;
  return lengths[lengths.length - 1]! >= 1 && lengths[lengths.length - 1]! <= 4;
}

export function detectCreditCards(input: ScanInput, out: PiiHit[]): void {
  const { text, lower } = input;
  for (const chunk of input.chunks) {
    if (!usable(chunk) || chunk.digitsBefore[chunk.groups.length]! < 13) continue;
    const last = chunk.groups.length - 1;
    let gi = 0;
    while (gi <= last) {
      let found = -1;
      for (let gj = last; gj >= gi; gj -= 1) {
        const count = windowDigitCount(chunk, gi, gj);
        if (count > 19) continue;
        if (count < 13) break;
        if (!softBoundary(chunk, gi, gj) || uniformSep(chunk, gi, gj, [' ', '-']) === null) continue;
        if (!groupingOk(groupLengths(chunk, gi, gj))) continue;
        const digits = windowDigits(text, chunk, gi, gj);
        if (/^(\d)\1*$/.test(digits) || !luhnValid(digits)) continue;
        const from = chunk.groups[gi]!.from;
        let score = knownScheme(digits) ? 0.85 : 0.6;
        if (contextBefore(lower, from, CONTEXT)) score += 0.15;
        out.push({ type: 'credit_card', from, to: chunk.groups[gj]!.to, score: clampScore(score) });
        found = gj;
        break;
      }
      gi = found >= 0 ? found + 1 : gi + 1;
    }
  }
}
