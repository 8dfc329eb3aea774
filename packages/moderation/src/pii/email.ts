import { contextBefore, isAsciiLetter, isDigit } from './context';
import { clampScore, type PiiHit, type ScanInput } from './hit';

/**
 * Q25.1 e-mail: scanned outwards from each '@' (no regex, so "a@a@a…" stays linear): an RFC 5322
 * dot-atom local part of at most 64 characters, a domain of dot-separated labels ending in a TLD of
 * two or more letters. Score 0.9, +0.1 with "email"/"e-mail"/"mail" nearby.
 */
const CONTEXT = ['email', 'e-mail', 'mail', 'correo', 'contact'];
const LOCAL_EXTRA = "!#$%&'*+/=?^_`{|}~.-";

function isLocalChar(code: number): boolean {
  return isAsciiLetter(code) || isDigit(code) || (code < 128 && LOCAL_EXTRA.includes(String.fromCharCode(code)));
}

function isLabelChar(code: number): boolean {
  return isAsciiLetter(code) || isDigit(code) || code === 45;
}

/** End of the domain after '@' at `at`, or -1. */
function domainEnd(text: string, at: number): number {
  let i = at + 1;
  let lastDot = -1;
  let labelStart = i;
  const limit = Math.min(text.length, at + 256);
  while (i < limit) {
    const code = text.charCodeAt(i);
    if (isLabelChar(code)) i += 1;
    else if (code === 46 && i > labelStart && isLabelChar(text.charCodeAt(i + 1))) {
      lastDot = i;
      i += 1;
      labelStart = i;
    } else break;
  }
  while (i > at + 1 && text.charCodeAt(i - 1) === 45) i -= 1;
  if (lastDot < 0 || i - lastDot - 1 < 2) return -1;
  for (let k = lastDot + 1; k < i; k += 1) {
    const code = text.charCodeAt(k);
    if (!isAsciiLetter(code) && !(text.startsWith('xn--', lastDot + 1) && (isDigit(code) || code === 45))) return -1;
  }
  return i;
}

export function detectEmails(input: ScanInput, out: PiiHit[]): void {
  const { text, lower } = input;
  let at = text.indexOf('@');
  while (at >= 0) {
    let start = at;
    while (start > 0 && at - start < 65 && isLocalChar(text.charCodeAt(start - 1))) start -= 1;
    while (start < at && text.charCodeAt(start) === 46) start += 1;
    const localOk =
      start < at && at - start <= 64 && text.charCodeAt(at - 1) !== 46 && !text.slice(start, at).includes('..');
    const end = localOk ? domainEnd(text, at) : -1;
    if (end > 0 && (start === 0 || !isLocalChar(text.charCodeAt(start - 1)) || text.charCodeAt(start - 1) === 46)) {
      const score = contextBefore(lower, start, CONTEXT) ? 1 : 0.9;
      out.push({ type: 'email', from: start, to: end, score: clampScore(score) });
      at = text.indexOf('@', end);
    } else at = text.indexOf('@', at + 1);
  }
}
