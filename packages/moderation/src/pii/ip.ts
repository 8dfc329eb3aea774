import { softBoundary, usable, windowDigits } from './chunks';
import { contextBefore, isAlnumAt } from './context';
import { clampScore, type PiiHit, type ScanInput } from './hit';

/**
 * Q25.1 IP addresses. IPv4: four dot-separated octets 0–255 without leading zeros, not part of a
 * longer dotted run; 0.75. IPv6: hex groups with at most one '::', eight groups (0.85) or compressed
 * with at least three groups (0.7) — fewer, like "a::1", 0.45. +0.15 with "IP"/"address"/"server".
 */
const CONTEXT = ['ip', 'address', 'server', 'host', 'adresse', 'endereço', 'endereco'];

function octetOk(s: string): boolean {
  return s.length <= 3 && (s.length === 1 || s[0] !== '0') && Number(s) <= 255;
}

function detectIpv4(input: ScanInput, out: PiiHit[]): void {
  const { text, lower } = input;
  for (const chunk of input.chunks) {
    if (!usable(chunk) || chunk.groups.length < 4) continue;
    for (let gi = 0; gi + 3 < chunk.groups.length; gi += 1) {
      const gj = gi + 3;
      if (!chunk.seps.slice(gi, gj).every((s) => s === '.')) continue;
      if (!softBoundary(chunk, gi, gj)) continue;
      let ok = true;
      for (let k = gi; k <= gj && ok; k += 1) ok = octetOk(windowDigits(text, chunk, k, k));
      if (!ok) continue;
      const from = chunk.groups[gi]!.from;
      const score = contextBefore(lower, from, CONTEXT) ? 0.9 : 0.75;
      out.push({ type: 'ip_address', from, to: chunk.groups[gj]!.to, score: clampScore(score) });
      gi = gj;
    }
  }
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

/** Parses an IPv6 address starting at `i`; returns [end, groups] or null. */
function readIpv6(text: string, i: number): [number, number] | null {
  let groups = 0;
  let compressed = false;
  let end = i;
  let j = i;
  if (text.startsWith('::', j)) {
    compressed = true;
    j += 2;
    end = j;
  }
  for (;;) {
    let k = j;
    while (k < text.length && k - j < 5 && isHex(text.charCodeAt(k))) k += 1;
    const len = k - j;
    if (len === 0 || len > 4) break;
    groups += 1;
    end = k;
    if (groups === 8 || text.charCodeAt(k) !== 58) break;
    if (text.charCodeAt(k + 1) === 58) {
      if (compressed) break;
      compressed = true;
      end = k + 2;
      j = k + 2;
    } else j = k + 1;
  }
  if (isAlnumAt(text, end) || text.charCodeAt(end) === 58 || text.charCodeAt(end) === 46) return null;
  if (groups > 8 || (!compressed && groups !== 8) || (compressed && groups > 7)) return null;
  return [end, groups];
}

function detectIpv6(input: ScanInput, out: PiiHit[]): void {
  const { text, lower } = input;
  let colon = text.indexOf(':');
  while (colon >= 0) {
    let start = colon;
    while (start > 0 && colon - start < 4 && isHex(text.charCodeAt(start - 1))) start -= 1;
    const read = isAlnumAt(text, start - 1) ? null : readIpv6(text, start);
    if (read) {
      const [end, groups] = read;
      let score = groups === 8 ? 0.85 : groups >= 3 ? 0.7 : 0.45;
      if (contextBefore(lower, start, CONTEXT)) score += 0.15;
      out.push({ type: 'ip_address', from: start, to: end, score: clampScore(score) });
      colon = text.indexOf(':', end);
    } else colon = text.indexOf(':', colon + 1);
  }
}

export function detectIps(input: ScanInput, out: PiiHit[]): void {
  detectIpv4(input, out);
  if (input.text.includes(':')) detectIpv6(input, out);
}
