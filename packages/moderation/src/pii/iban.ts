import { IBAN_LENGTHS, ibanMod97Valid } from './checksums';
import { contextBefore, isAlnumAt, isAsciiLetter, isDigit } from './context';
import { clampScore, type PiiHit, type ScanInput } from './hit';

/**
 * Q25.1 IBAN: country code + 2 check digits + BBAN, written solid or in groups of four separated by
 * single spaces, exactly the registered length of the country, mod-97 == 1. Score 0.9, +0.1 with
 * context ("IBAN", "account", "Konto", "conta", "bank").
 */
const CONTEXT = ['iban', 'account', 'konto', 'conta', 'bank', 'transfer'];

function upper(code: number): number {
  return code >= 97 && code <= 122 ? code - 32 : code;
}

/** Reads an IBAN of `length` characters starting at `start`; returns [compact, end] or null. */
function readIban(text: string, start: number, length: number): [string, number] | null {
  let compact = '';
  let i = start;
  while (i < text.length && compact.length < length) {
    const code = text.charCodeAt(i);
    if (code === 32) {
      // A space is only a group separator: after a full group of four, before more characters.
      if (compact.length % 4 !== 0 || !isAlnumAt(text, i + 1)) return null;
      i += 1;
      continue;
    }
    if (!isAsciiLetter(code) && !isDigit(code)) return null;
    compact += String.fromCharCode(upper(code));
    i += 1;
  }
  if (compact.length !== length || isAlnumAt(text, i)) return null;
  return [compact, i];
}

export function detectIbans(input: ScanInput, out: PiiHit[]): void {
  const { text, lower } = input;
  const n = text.length - 4;
  for (let i = 0; i <= n; i += 1) {
    const c0 = text.charCodeAt(i);
    if (!isAsciiLetter(c0) || !isDigit(text.charCodeAt(i + 2)) || !isDigit(text.charCodeAt(i + 3))) continue;
    if (!isAsciiLetter(text.charCodeAt(i + 1)) || isAlnumAt(text, i - 1)) continue;
    const length = IBAN_LENGTHS[String.fromCharCode(upper(c0), upper(text.charCodeAt(i + 1)))];
    if (length === undefined) continue;
    const read = readIban(text, i, length);
    if (!read || !ibanMod97Valid(read[0])) continue;
    const score = contextBefore(lower, i, CONTEXT) ? 1 : 0.9;
    out.push({ type: 'iban', from: i, to: read[1], score: clampScore(score) });
    i = read[1] - 1;
  }
}
