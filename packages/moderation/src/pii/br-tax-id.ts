import { groupLengths, softBoundary, usable, windowDigitCount, windowDigits, type DigitChunk } from './chunks';
import { cnpjValid, cpfValid } from './checksums';
import { contextBefore } from './context';
import { clampScore, type PiiHit, type ScanInput } from './hit';

/**
 * Q25.1 Brazilian tax ids. CPF "000.000.000-00" or 11 plain digits; CNPJ "00.000.000/0000-00" or 14
 * plain digits; both with their two mod-11 check digits. Score: formatted 0.9, plain 0.55, +0.3 with
 * "CPF"/"CNPJ" nearby (a plain 11-digit run is just as often a phone number).
 */
interface Form {
  type: 'br_cpf' | 'br_cnpj';
  shape: string;
  seps: string;
  valid: (digits: string) => boolean;
  context: readonly string[];
}

const FORMS: readonly Form[] = [
  { type: 'br_cpf', shape: '3-3-3-2', seps: '..-', valid: cpfValid, context: ['cpf'] },
  { type: 'br_cpf', shape: '11', seps: '', valid: cpfValid, context: ['cpf'] },
  { type: 'br_cnpj', shape: '2-3-3-4-2', seps: '../-', valid: cnpjValid, context: ['cnpj'] },
  { type: 'br_cnpj', shape: '14', seps: '', valid: cnpjValid, context: ['cnpj'] },
];

function tryWindow(input: ScanInput, chunk: DigitChunk, gi: number, gj: number, out: PiiHit[]): boolean {
  const count = windowDigitCount(chunk, gi, gj);
  if (count !== 11 && count !== 14) return false;
  const shape = groupLengths(chunk, gi, gj).join('-');
  const seps = chunk.seps.slice(gi, gj).join('');
  for (const form of FORMS) {
    if (form.shape !== shape || form.seps !== seps) continue;
    const digits = windowDigits(input.text, chunk, gi, gj);
    if (!form.valid(digits)) continue;
    const from = chunk.groups[gi]!.from;
    let score = gi === gj ? 0.55 : 0.9;
    if (contextBefore(input.lower, from, form.context)) score += 0.3;
    out.push({ type: form.type, from, to: chunk.groups[gj]!.to, score: clampScore(score) });
    return true;
  }
  return false;
}

export function detectBrTaxIds(input: ScanInput, out: PiiHit[]): void {
  for (const chunk of input.chunks) {
    if (!usable(chunk) || chunk.digitsBefore[chunk.groups.length]! < 11) continue;
    const last = chunk.groups.length - 1;
    for (let gi = 0; gi <= last; gi += 1) {
      for (let gj = gi; gj <= Math.min(last, gi + 4); gj += 1) {
        if (softBoundary(chunk, gi, gj) && tryWindow(input, chunk, gi, gj, out)) {
          gi = gj;
          break;
        }
      }
    }
  }
}
