import { detectInjection, mayContainInjection } from '../injection';
import { detectPii } from '../pii';
import { resolveRegions, scanRegexes } from '../rules';
import { normalise, toOriginal, type NormalisedText, type TextView } from '../text';
import type { Direction, KeywordHit, ModerationContext, PiiFinding, Span, StageName } from '../types';
import type { Snapshot } from './snapshot';

export interface InjectionSignal extends Span {
  score: number;
  pattern: string;
}

export interface RegexSignal extends Span {
  ruleId: string;
}

/** What the cheap stages found, in original offsets (shifted by `offset` when a window was read). */
export interface Signals {
  normalised: NormalisedText;
  /** Where the analysed text starts in the whole text. */
  offset: number;
  regions: string[];
  keywordHits: KeywordHit[];
  regexHits: RegexSignal[];
  pii: PiiFinding[];
  injection: InjectionSignal[];
  stages: StageName[];
}

/** Each view the detectors read: the text itself and every decoded span inside it. */
function viewsOf(n: NormalisedText): { folded: TextView; literal: TextView }[] {
  return [{ folded: n.folded, literal: n.literal }, ...n.decoded];
}

/**
 * Runs normaliser, keyword automaton, rule regexes, PII detectors and injection patterns over `text`
 * (every stage but the model, which scores chunks; see `evaluate`). `offset` is where `text` starts in
 * the caller's whole text, so a streaming window reports whole-text offsets.
 */
export function analyse(snapshot: Snapshot, text: string, context: ModerationContext, offset = 0): Signals {
  const direction: Direction = context.direction ?? 'output';
  const normalised = normalise(text);
  const regions = resolveRegions(snapshot.rules, context);
  const keywordHits: KeywordHit[] = [];
  const regexHits: RegexSignal[] = [];
  const pii: PiiFinding[] = [];
  const injection: InjectionSignal[] = [];
  const shift = (view: TextView, from: number, to: number): Span => {
    const span = toOriginal(view, from, to);
    return { start: span.start + offset, end: span.end + offset };
  };
  for (const { folded, literal } of viewsOf(normalised)) {
    for (const hit of snapshot.automaton.scan(folded.text)) {
      keywordHits.push({ listId: hit.listId, term: hit.term, ...shift(folded, hit.from, hit.to) });
    }
    for (const hit of scanRegexes(snapshot.rules, regions, direction, literal.text)) {
      regexHits.push({ ruleId: hit.ruleId, ...shift(literal, hit.from, hit.to) });
    }
    for (const hit of detectPii(literal.text)) {
      pii.push({ type: hit.type, score: hit.score, ...shift(literal, hit.from, hit.to) });
    }
    if (mayContainInjection(folded.text)) {
      for (const hit of detectInjection(folded.text)) {
        injection.push({ score: hit.score, pattern: hit.pattern, ...shift(folded, hit.from, hit.to) });
      }
    }
  }
  const stages: StageName[] = ['normalise', 'keywords', 'regex', 'pii', 'injection'];
  if (normalised.decoded.length > 0) stages.splice(1, 0, 'decode');
  return { normalised, offset, regions, keywordHits, regexHits, pii: dedupePii(pii), injection, stages };
}

/** The same finding seen in the text and in a decoded copy of it keeps its highest score. */
function dedupePii(findings: PiiFinding[]): PiiFinding[] {
  const best = new Map<string, PiiFinding>();
  for (const f of findings) {
    const key = `${f.type}:${f.start}:${f.end}`;
    const seen = best.get(key);
    if (!seen || seen.score < f.score) best.set(key, f);
  }
  return [...best.values()].sort((a, b) => a.start - b.start || a.end - b.end);
}
