import { groupLengths, softBoundary, usable, windowDigits } from './chunks';
import { ssnValid } from './checksums';
import { contextBefore } from './context';
import { clampScore, type PiiHit, type ScanInput } from './hit';

/**
 * Q25.1 US SSN: AAA-GG-SSSS (dashes 0.8, spaces 0.6) or 9 plain digits (0.35: only context makes
 * them an SSN); never-issued areas/groups/serials rejected; +0.45 with "SSN"/"social security" nearby.
 */
const CONTEXT = ['ssn', 'social security', 'social sec', 'ss#', 'ss no', 'sozialversicherung'];

export function detectSsns(input: ScanInput, out: PiiHit[]): void {
  const { text, lower } = input;
  for (const chunk of input.chunks) {
    if (!usable(chunk) || chunk.digitsBefore[chunk.groups.length]! < 9) continue;
    const last = chunk.groups.length - 1;
    for (let gi = 0; gi <= last; gi += 1) {
      const single = chunk.groups[gi]!.to - chunk.groups[gi]!.from === 9;
      const gj = single ? gi : gi + 2;
      if (gj > last || !softBoundary(chunk, gi, gj)) continue;
      let base: number;
      if (single) base = 0.35;
      else {
        const sep = chunk.seps[gi]!;
        if (groupLengths(chunk, gi, gj).join('-') !== '3-2-4' || chunk.seps[gi + 1] !== sep) continue;
        if (sep === '-') base = 0.8;
        else if (sep === ' ') base = 0.6;
        else continue;
      }
      if (!ssnValid(windowDigits(text, chunk, gi, gj))) continue;
      const from = chunk.groups[gi]!.from;
      const score = contextBefore(lower, from, CONTEXT) ? base + 0.45 : base;
      out.push({ type: 'us_ssn', from, to: chunk.groups[gj]!.to, score: clampScore(score) });
      gi = gj;
    }
  }
}
