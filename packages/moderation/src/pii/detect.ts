import type { PiiType } from '../types';
import { detectAddresses } from './address';
import { detectBrTaxIds } from './br-tax-id';
import { scanDigitChunks, type DigitChunk } from './chunks';
import { detectCreditCards } from './credit-card';
import { detectDatesOfBirth } from './date-of-birth';
import { detectEmails } from './email';
import type { Detector, PiiHit, PiiOptions, ScanInput } from './hit';
import { detectIbans } from './iban';
import { detectIps } from './ip';
import { detectPersons } from './person';
import { detectPhones } from './phone';
import { resolveOverlaps } from './resolve';
import { detectSsns } from './us-ssn';

/** Bump when a detector's accept rule or score scale changes (stored verdicts record it). */
export const PII_DETECTOR_VERSION = 'pii-2025.1';

interface Entry {
  types: readonly PiiType[];
  run: Detector;
  /** Cheap test on the whole text; the detector is skipped when it fails. */
  needs: 'digits' | 'at' | 'always';
}

const DETECTORS: readonly Entry[] = [
  { types: ['email'], run: detectEmails, needs: 'at' },
  { types: ['credit_card'], run: detectCreditCards, needs: 'digits' },
  { types: ['iban'], run: detectIbans, needs: 'digits' },
  { types: ['us_ssn'], run: detectSsns, needs: 'digits' },
  { types: ['br_cpf', 'br_cnpj'], run: detectBrTaxIds, needs: 'digits' },
  { types: ['phone'], run: detectPhones, needs: 'digits' },
  { types: ['ip_address'], run: detectIps, needs: 'always' },
  { types: ['date_of_birth'], run: detectDatesOfBirth, needs: 'digits' },
  { types: ['postal_address'], run: detectAddresses, needs: 'digits' },
  { types: ['person'], run: detectPersons, needs: 'always' },
];

/** Lower case with offsets kept: a code unit whose lower case is longer ('İ') stays as it is. */
function lowerKeepingOffsets(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const l = text[i]!.toLowerCase();
    out += l.length === 1 ? l : text[i];
  }
  return out;
}

function firstDigit(text: string): number {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) return i;
  }
  return -1;
}

/**
 * Q22, Q25.1: every PII finding in `text`, sorted by `from`, overlaps resolved (higher score, then
 * longer span). Linear in the text: one digit-chunk scan feeds all number detectors, and a text
 * without digits (or without '@') skips those families entirely.
 */
export function detectPii(text: string, options: PiiOptions = {}): PiiHit[] {
  const wanted = options.types ? new Set<PiiType>(options.types) : null;
  const minScore = options.minScore ?? 0.5;
  const hasDigits = firstDigit(text) >= 0;
  const hasAt = text.includes('@');
  let chunks: DigitChunk[] = [];
  if (hasDigits) chunks = scanDigitChunks(text);
  const input: ScanInput = {
    text,
    lower: lowerKeepingOffsets(text),
    chunks,
    defaultCountry: (options.defaultCountry ?? 'US').toUpperCase(),
  };
  const hits: PiiHit[] = [];
  for (const entry of DETECTORS) {
    if (wanted && !entry.types.some((t) => wanted.has(t))) continue;
    if ((entry.needs === 'digits' && !hasDigits) || (entry.needs === 'at' && !hasAt)) continue;
    if (entry.run === detectIps && !hasDigits && !text.includes(':')) continue;
    entry.run(input, hits);
  }
  const kept = hits.filter((h) => h.score >= minScore && (!wanted || wanted.has(h.type)));
  return resolveOverlaps(kept);
}
