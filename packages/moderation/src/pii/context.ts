/**
 * Q25.1: context words near a candidate raise its score. Only a bounded window around the candidate is
 * read, so the cost per candidate is constant whatever the text length.
 */
export const CONTEXT_WINDOW = 40;

function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code > 127;
}

/** True when one of `words` (lower case) starts on a word boundary inside `window`. */
function windowHas(window: string, words: readonly string[]): boolean {
  for (const word of words) {
    let at = window.indexOf(word);
    while (at >= 0) {
      if (at === 0 || !isWordChar(window.charCodeAt(at - 1))) return true;
      at = window.indexOf(word, at + 1);
    }
  }
  return false;
}

/** One of `words` occurs within `CONTEXT_WINDOW` characters before `from` (reads the lower-case text). */
export function contextBefore(lower: string, from: number, words: readonly string[], span = CONTEXT_WINDOW): boolean {
  return windowHas(lower.slice(Math.max(0, from - span), from), words);
}

/** Same, after `to` (phone lists write "… office", "… fax" behind the number). */
export function contextAfter(lower: string, to: number, words: readonly string[], span = 16): boolean {
  return windowHas(lower.slice(to, to + span), words);
}

export function isAsciiLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Letters or digits in any script (a cheap test first, Unicode only for non-ASCII). */
export function isAlnumAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const code = text.charCodeAt(i);
  if (code < 128) return isAsciiLetter(code) || isDigit(code);
  return /[\p{L}\p{N}]/u.test(text[i]!);
}

export function isLetterAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const code = text.charCodeAt(i);
  if (code < 128) return isAsciiLetter(code);
  return /\p{L}/u.test(text[i]!);
}
