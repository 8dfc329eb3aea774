import type { Direction } from '../types';
import { compiledRegex, type CompiledRule, type CompiledRules } from './compile';

/** A regex rule's hit in the coordinates of the text it ran on (the engine maps them back to original offsets). */
export interface RegexHit {
  ruleId: string;
  from: number;
  to: number;
}

export function ruleApplies(rule: CompiledRule, regions: readonly string[], direction: Direction): boolean {
  return (rule.direction === 'both' || rule.direction === direction) && regions.includes(rule.region);
}

/**
 * Runs every regex rule of `regions` that applies to `direction` over `text`. re2js is linear per
 * search, but a search may read to the end of the text before it settles on a match, so hits per
 * rule are capped (`limits.maxHitsPerRule`) to keep the whole scan linear in the text. Empty
 * matches are skipped: they cannot be redacted or shown.
 */
export function scanRegexes(
  compiled: CompiledRules,
  regions: readonly string[],
  direction: Direction,
  text: string,
): RegexHit[] {
  const hits: RegexHit[] = [];
  const cap = compiled.limits.maxHitsPerRule;
  for (const rule of compiled.rules) {
    if (rule.match.kind !== 'regex' || !ruleApplies(rule, regions, direction)) continue;
    const regex = compiledRegex(compiled, rule.id);
    // The capture-free DFA answers "any match?" several times faster than a positional search,
    // and most rules do not match most texts.
    if (regex === undefined || !regex.test(text)) continue;
    const matcher = regex.matcher(text);
    let found = 0;
    let attempts = 0;
    // Empty matches also cost a search; bound them too so `x*` on a long text stays linear.
    while (found < cap && attempts < cap * 2 && matcher.find()) {
      attempts += 1;
      const from = matcher.start();
      const to = matcher.end();
      if (to > from) {
        hits.push({ ruleId: rule.id, from, to });
        found += 1;
      }
    }
  }
  return hits;
}
