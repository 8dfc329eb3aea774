import { decide, type Decision } from '../rules';
import { IdentityView, type TextView } from '../text';
import type { CategoryScores, ModelCategory, ModerationContext, Verdict } from '../types';
import { EMPTY_CONVERSATION } from '../types';
import { analyse, type Signals } from './analyse';
import { chunksOf } from './chunks';
import { redact } from './redact';
import type { Snapshot } from './snapshot';

/**
 * The whole pipeline for one text (Q27.3: cheapest stages first, all in process). Pure: it reads only
 * its arguments (the time comes from `context.now`, defaulting to the call's clock), so a snapshot
 * swapped while a request runs cannot change that request's verdict (Q24.3).
 */
export function evaluate(snapshot: Snapshot, text: string, context: ModerationContext = {}): Verdict {
  const now = context.now ?? Date.now();
  const signals = analyse(snapshot, text, context);
  const scores: CategoryScores = {};
  if (snapshot.model) {
    for (const [start, end] of chunksOf(text)) {
      maxInto(scores, snapshot.model.score(sliceView(signals.normalised.folded, start, end)));
    }
    scoreDecoded(snapshot, signals, Infinity, scores);
  }
  return verdictOf(snapshot, text, { ...context, now }, signals, scores);
}

/**
 * Each decoded span is scored on its own (an encoded insult is not diluted by the text around it); spans
 * ending at or after `before` (still growing at a stream's tail) wait.
 */
export function scoreDecoded(snapshot: Snapshot, signals: Signals, before: number, into: CategoryScores): void {
  if (!snapshot.model) return;
  for (const decoded of signals.normalised.decoded) {
    if (signals.offset + decoded.end < before) maxInto(into, snapshot.model.score(decoded.folded.text));
  }
}

/** Rules over what the stages found; shared by `evaluate` and the streaming moderator. */
export function verdictOf(
  snapshot: Snapshot,
  text: string,
  context: ModerationContext,
  signals: Signals,
  scores: CategoryScores,
): Verdict {
  const decision = decisionOf(snapshot, context, signals, scores);
  const stages = [...signals.stages, ...(snapshot.model ? (['model'] as const) : []), 'rules' as const];
  return {
    action: decision.action,
    categories: decision.categories,
    matches: decision.matches,
    pii: signals.pii,
    redactedText: redact(text, decision.redactions, signals.pii),
    regions: signals.regions,
    snapshotVersion: snapshot.version,
    engineVersion: snapshot.engineVersion,
    stagesRun: stages,
    flags: decision.flags,
  };
}

export function decisionOf(
  snapshot: Snapshot,
  context: ModerationContext,
  signals: Signals,
  scores: CategoryScores,
): Decision {
  return decide(snapshot.rules, {
    regions: signals.regions,
    direction: context.direction ?? 'output',
    context,
    keywordHits: signals.keywordHits,
    regexHits: signals.regexHits,
    pii: signals.pii,
    scores,
    injection: signals.injection,
    conversation: context.conversation ?? EMPTY_CONVERSATION,
    textLength: signals.normalised.original.length + signals.offset,
  });
}

export function maxInto(into: CategoryScores, scores: CategoryScores): void {
  for (const [name, score] of Object.entries(scores) as [ModelCategory, number][]) {
    if (score > (into[name] ?? 0)) into[name] = score;
  }
}

/** The part of a view that came from original `[start, end)` (views are monotone in the original). */
export function sliceView(view: TextView, start: number, end: number): string {
  if (view instanceof IdentityView) return view.slice(start, end);
  const from = lowerBound(view.start, start);
  const to = lowerBound(view.start, end);
  return from === 0 && to === view.text.length ? view.text : view.text.slice(from, to);
}

function lowerBound(values: Int32Array, target: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
