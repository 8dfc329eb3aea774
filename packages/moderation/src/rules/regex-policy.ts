import { RE2JS } from 're2js';

/**
 * Q24.2: bounds on user-submitted patterns. re2js matches in time linear in the text, so nested
 * quantifiers such as `(a+)+$` cannot backtrack; what remains expensive is the size of the compiled
 * program (a counted repeat is expanded into copies), which multiplies the per-character cost.
 * These limits bound that factor.
 */
export interface RegexLimits {
  /** Longest accepted pattern, in UTF-16 code units. */
  maxPatternLength: number;
  /** Largest `{n}` / `{n,m}` count (RE2 itself stops at 1000). */
  maxRepeat: number;
  /** Largest product of counted repeats along any nesting path: `((x){20}){50}` expands to 1000 copies. */
  maxRepeatExpansion: number;
  /** Largest re2js program (instructions), its own measure of a pattern's per-character cost. */
  maxProgramSize: number;
  /** Hits kept per rule per text: a match may read to the end of the text, so this keeps scans linear. */
  maxHitsPerRule: number;
}

export const DEFAULT_REGEX_LIMITS: Readonly<RegexLimits> = Object.freeze({
  maxPatternLength: 1_000,
  maxRepeat: 100,
  maxRepeatExpansion: 500,
  maxProgramSize: 1_000,
  maxHitsPerRule: 100,
});

export type RegexCheck =
  { ok: true; regex: RE2JS } | { ok: false; kind: 'syntax' | 'unsupported' | 'limit'; reason: string };

/** Compiles `pattern` with re2js if it is within `limits`; never throws. */
export function checkRegex(pattern: string, flags: 'i' | '', limits: RegexLimits): RegexCheck {
  if (pattern.length > limits.maxPatternLength) {
    return limit(`pattern is ${pattern.length} characters, over the limit of ${limits.maxPatternLength}`);
  }
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(pattern, flags === 'i' ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    // RE2's own repeat cap (1000) is looser than ours: report the limit the author can act on.
    return repeatProblem(pattern, limits) ?? describeRe2Error(pattern, error);
  }
  const repeats = repeatProblem(pattern, limits);
  if (repeats !== undefined) return repeats;
  if (regex.matcher('').find()) {
    return {
      ok: false,
      kind: 'unsupported',
      reason: 'pattern matches the empty string, so it would fire on every text',
    };
  }
  const size = regex.programSize();
  if (size > limits.maxProgramSize) {
    return limit(`compiled program has ${size} instructions, over the limit of ${limits.maxProgramSize}`);
  }
  return { ok: true, regex };
}

function repeatProblem(pattern: string, limits: RegexLimits): RegexCheck | undefined {
  const { maxCount, maxProduct } = repeatCounts(pattern);
  if (maxCount > limits.maxRepeat) {
    return limit(`repeat count ${maxCount} is over the limit of ${limits.maxRepeat}`);
  }
  if (maxProduct > limits.maxRepeatExpansion) {
    return limit(`nested repeats expand to ${maxProduct} copies, over the limit of ${limits.maxRepeatExpansion}`);
  }
  return undefined;
}

function limit(reason: string): RegexCheck {
  return { ok: false, kind: 'limit', reason };
}

function describeRe2Error(pattern: string, error: unknown): RegexCheck {
  const message = error instanceof Error ? error.message : String(error);
  if (/\\[1-9]/.test(pattern) && /invalid escape sequence: `\\[1-9]/.test(message)) {
    return {
      ok: false,
      kind: 'unsupported',
      reason: `backreferences are not supported (RE2 is linear-time): ${message}`,
    };
  }
  if (/\(\?<?[=!]/.test(pattern) && /unsupported Perl syntax|invalid named capture/.test(message)) {
    return {
      ok: false,
      kind: 'unsupported',
      reason: `lookahead/lookbehind is not supported (RE2 is linear-time): ${message}`,
    };
  }
  if (/invalid repeat count/.test(message)) {
    return limit(`${message} (RE2 caps repeats at 1000)`);
  }
  return { ok: false, kind: 'syntax', reason: message };
}

/**
 * The largest counted repeat and the largest product of counted repeats along any nesting path.
 * Runs on patterns re2js has already parsed, so it only needs to tell RE2's literal `{` from a
 * repeat and to skip classes and escapes; `*`, `+`, `?` add no copies and count as 1.
 */
export function repeatCounts(pattern: string): { maxCount: number; maxProduct: number } {
  // Each frame: the largest product among finished items, and the product of the item just read.
  const stack: { done: number; last: number }[] = [{ done: 1, last: 0 }];
  let maxCount = 0;
  const top = (): { done: number; last: number } => stack[stack.length - 1]!;
  const commit = (): void => {
    const f = top();
    f.done = Math.max(f.done, f.last);
  };
  const atom = (value = 1): void => {
    commit();
    top().last = value;
  };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      i = skipEscape(pattern, i);
      atom();
    } else if (c === '[') {
      i = skipClass(pattern, i);
      atom();
    } else if (c === '(') {
      commit();
      top().last = 0;
      stack.push({ done: 1, last: 0 });
      i += 1;
    } else if (c === ')' && stack.length > 1) {
      commit();
      const value = stack.pop()!.done;
      atom(value);
      i += 1;
    } else if (c === '|') {
      commit();
      top().last = 0;
      i += 1;
    } else if (c === '{') {
      const repeat = /^\{(\d+)(?:,(\d*))?\}/.exec(pattern.slice(i, i + 16));
      if (repeat === null) {
        atom();
        i += 1;
      } else {
        const count = Math.max(Number(repeat[1]), repeat[2] ? Number(repeat[2]) : 0);
        maxCount = Math.max(maxCount, count);
        top().last = Math.max(1, top().last) * Math.max(1, count);
        i += repeat[0].length;
      }
    } else {
      if (c !== '*' && c !== '+' && c !== '?') atom();
      i += 1;
    }
  }
  while (stack.length > 1) {
    commit();
    const value = stack.pop()!.done;
    atom(value);
  }
  commit();
  return { maxCount, maxProduct: top().done };
}

function skipEscape(p: string, i: number): number {
  const next = p[i + 1];
  if (next === 'Q') {
    const end = p.indexOf('\\E', i + 2);
    return end === -1 ? p.length : end + 2;
  }
  if ((next === 'p' || next === 'P' || next === 'x') && p[i + 2] === '{') {
    const end = p.indexOf('}', i + 3);
    return end === -1 ? p.length : end + 1;
  }
  if (next === 'p' || next === 'P') return i + 3;
  if (next === 'x') return i + 4;
  return i + 2;
}

function skipClass(p: string, i: number): number {
  let j = i + 1;
  if (p[j] === '^') j += 1;
  if (p[j] === ']') j += 1;
  while (j < p.length && p[j] !== ']') {
    if (p[j] === '\\') j = skipEscape(p, j);
    else if (p[j] === '[' && p[j + 1] === ':') {
      const end = p.indexOf(':]', j + 2);
      j = end === -1 ? j + 1 : end + 2;
    } else j += 1;
  }
  return j + 1;
}
