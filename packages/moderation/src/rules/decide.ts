import {
  EMPTY_CONVERSATION,
  MODEL_CATEGORIES,
  mostRestrictive,
  type Action,
  type CategoryScores,
  type ConversationSummary,
  type Direction,
  type KeywordHit,
  type ModerationContext,
  type PiiFinding,
  type RuleMatch,
  type Span,
} from '../types';
import type { CompiledRule, CompiledRules } from './compile';
import { adjustThresholds } from './reputation';
import { ruleApplies } from './scan';
import { inWindow } from './window';

export interface DecisionInput {
  regions: readonly string[];
  direction: Direction;
  /** `context.now` (ms) is the instant time windows are read at; without it, the call time. */
  context: ModerationContext;
  /** Automaton hits in original offsets; `listId` is `rule:<ruleId>` or a named list. */
  keywordHits?: readonly KeywordHit[];
  regexHits?: readonly ({ ruleId: string } & Span)[];
  pii?: readonly PiiFinding[];
  scores?: CategoryScores;
  injection?: readonly (Span & { score: number })[];
  /** Earlier turns; defaults to `context.conversation`, then to an empty conversation. */
  conversation?: ConversationSummary;
  /** Length of the original text: the span of rules that judge the whole text (category, conversation). */
  textLength?: number;
}

export interface Decision {
  action: Action;
  matches: RuleMatch[];
  /** Flags raised by rules that fired (`setsFlag`), sorted, for later turns (Q31.3). */
  flags: string[];
  /** Sorted, merged spans of every fired rule whose action is `redact`. */
  redactions: Span[];
  categories: { name: string; score: number }[];
}

/**
 * The verdict for one text from its signals. Pure: the same input gives the same decision.
 *
 * Conflict policy (Q23.4): every applicable rule of every resolved region is evaluated and the MOST
 * RESTRICTIVE action wins (block > review > redact > allow). A region never relaxes another region's
 * rule, so a dual citizen gets the union of both regions' restrictions. A rule whose direction,
 * region, window, audience (`when`) or `requiresFlag` does not apply is skipped and not reported.
 */
export function decide(compiled: CompiledRules, input: DecisionInput): Decision {
  const now = input.context.now ?? Date.now();
  const conversation = input.conversation ?? input.context.conversation ?? EMPTY_CONVERSATION;
  const whole: Span = { start: 0, end: input.textLength ?? 0 };
  const matches: RuleMatch[] = [];
  const flags = new Set<string>();
  const piiScores = new Map<string, number>();
  let injectionScore: number | undefined;

  for (const rule of compiled.rules) {
    if (!ruleApplies(rule, input.regions, input.direction)) continue;
    if (rule.requiresFlag !== undefined && !conversation.flags.includes(rule.requiresFlag)) continue;
    if (rule.window !== undefined && !inWindow(rule.window, now)) continue;
    if (rule.when !== undefined && !audienceMatches(rule.when, input.context)) continue;
    const fired = evaluate(rule, input, conversation, whole);
    if (fired.length === 0) continue;
    matches.push(...fired);
    if (rule.setsFlag !== undefined) flags.add(rule.setsFlag);
    if (rule.match.kind === 'pii') {
      const types = rule.match.types;
      for (const f of input.pii ?? []) {
        if (types.includes(f.type))
          piiScores.set(`pii:${f.type}`, Math.max(piiScores.get(`pii:${f.type}`) ?? 0, f.score));
      }
    }
    if (rule.match.kind === 'injection') {
      injectionScore = Math.max(injectionScore ?? 0, ...(input.injection ?? []).map((h) => h.score));
    }
  }

  const unique = dedupe(matches).sort((a, b) => a.start - b.start || a.end - b.end || (a.ruleId < b.ruleId ? -1 : 1));
  const action = unique.reduce<Action>((acc, m) => mostRestrictive(acc, m.action), 'allow');
  const categories: { name: string; score: number }[] = MODEL_CATEGORIES.filter(
    (c) => input.scores?.[c] !== undefined,
  ).map((name) => ({
    name,
    score: input.scores![name]!,
  }));
  categories.push(...[...piiScores].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, score]) => ({ name, score })));
  if (injectionScore !== undefined) categories.push({ name: 'injection', score: injectionScore });
  return {
    action,
    matches: unique,
    flags: [...flags].sort(),
    redactions: merge(unique.filter((m) => m.action === 'redact')),
    categories,
  };
}

function evaluate(
  rule: CompiledRule,
  input: DecisionInput,
  conversation: ConversationSummary,
  whole: Span,
): RuleMatch[] {
  const at = (span: Span, action: Action = rule.action ?? 'review'): RuleMatch => ({
    ruleId: rule.id,
    kind: rule.match.kind,
    action,
    start: span.start,
    end: span.end,
  });
  const match = rule.match;
  switch (match.kind) {
    case 'keyword': {
      const lists = rule.listIds ?? [];
      return (input.keywordHits ?? []).filter((h) => lists.includes(h.listId)).map((h) => at(h));
    }
    case 'regex':
      return (input.regexHits ?? []).filter((h) => h.ruleId === rule.id).map((h) => at(h));
    case 'pii': {
      const min = match.minScore ?? 0;
      return (input.pii ?? []).filter((f) => match.types.includes(f.type) && f.score >= min).map((f) => at(f));
    }
    case 'injection': {
      const min = match.minScore ?? 0;
      return (input.injection ?? []).filter((h) => h.score >= min).map((h) => at(h));
    }
    case 'conversation':
      return conversation.flags.includes(match.flag) ? [at(whole)] : [];
    case 'category': {
      const score = input.scores?.[match.category] ?? 0;
      // Q31.4: the user's reputation moves the thresholds before they are compared.
      const t = adjustThresholds({ review: match.review, block: match.block }, input.context.reputation);
      const category = match.category;
      if (t.block !== undefined && score >= t.block) return [{ ...at(whole, 'block'), category }];
      if (t.review !== undefined && score >= t.review) return [{ ...at(whole, 'review'), category }];
      return [];
    }
  }
}

/** Q31.1 / Q31.4: whether the user in `context` is one the rule is meant for. */
export function audienceMatches(when: NonNullable<CompiledRule['when']>, context: ModerationContext): boolean {
  const plan = context.plan;
  const roles = context.roles ?? [];
  const reputation = context.reputation ?? 0.5;
  if (when.plans && (plan === undefined || !when.plans.includes(plan))) return false;
  if (when.notPlans && plan !== undefined && when.notPlans.includes(plan)) return false;
  if (when.roles && !roles.some((r) => when.roles!.includes(r))) return false;
  if (when.notRoles && roles.some((r) => when.notRoles!.includes(r))) return false;
  if (when.minReputation !== undefined && reputation < when.minReputation) return false;
  if (when.maxReputation !== undefined && reputation > when.maxReputation) return false;
  return true;
}

function dedupe(matches: RuleMatch[]): RuleMatch[] {
  const seen = new Set<string>();
  return matches.filter((m) => {
    const key = `${m.ruleId}\u0000${m.start}\u0000${m.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function merge(spans: readonly Span[]): Span[] {
  const sorted = spans.map((s) => ({ start: s.start, end: s.end })).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push(s);
  }
  return out;
}
