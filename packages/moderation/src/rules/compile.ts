import type { RE2JS } from 're2js';
import type { ZodIssue } from 'zod';
import type { Action } from '../types';
import { RuleCompileError, RuleProblemCode, type RuleProblem } from './errors';
import { checkRegex, DEFAULT_REGEX_LIMITS, type RegexLimits } from './regex-policy';
import { ruleSchema, ruleSetHeaderSchema, type ParsedRule, type RuleAudience, type RuleSetDefinition } from './schema';
import { compileWindow, type CompiledWindow } from './window';

export interface CompiledRule {
  readonly id: string;
  readonly ruleSetId: string;
  readonly region: string;
  readonly description?: string;
  readonly direction: 'input' | 'output' | 'both';
  /** Undefined for category rules: their thresholds pick review or block. */
  readonly action?: Action;
  readonly match: Readonly<ParsedRule['match']>;
  /** Keyword rules: the automaton lists whose hits this rule takes (`rule:<id>` and/or a named list). */
  readonly listIds?: readonly string[];
  readonly window?: CompiledWindow;
  readonly when?: Readonly<RuleAudience>;
  readonly setsFlag?: string;
  readonly requiresFlag?: string;
  readonly severity: number;
}

export interface CompiledRuleSet {
  readonly id: string;
  readonly region: string;
  readonly description?: string;
  readonly ruleIds: readonly string[];
}

/** Q24.3: an immutable snapshot; a rule update compiles a new one, in-flight requests keep theirs. */
export interface CompiledRules {
  readonly ruleSets: readonly CompiledRuleSet[];
  /** Every rule, in definition order (sets in the order given, rules in set order). */
  readonly rules: readonly CompiledRule[];
  /** Regions that have at least one rule set, sorted, `default` first. */
  readonly regions: readonly string[];
  readonly limits: Readonly<RegexLimits>;
}

// re2js keeps match caches inside its objects, so they cannot be frozen; they live beside the snapshot.
const regexesBySnapshot = new WeakMap<CompiledRules, ReadonlyMap<string, RE2JS>>();

export function compiledRegex(compiled: CompiledRules, ruleId: string): RE2JS | undefined {
  return regexesBySnapshot.get(compiled)?.get(ruleId);
}

/**
 * Validates every rule set and rule (Q24.1) and compiles regexes within `limits` (Q24.2). Throws one
 * `RuleCompileError` listing every problem; otherwise returns a deeply frozen snapshot.
 */
export function compileRules(
  definitions: readonly RuleSetDefinition[],
  limits: Partial<RegexLimits> = {},
): CompiledRules {
  const effective: RegexLimits = { ...DEFAULT_REGEX_LIMITS, ...limits };
  const problems: RuleProblem[] = [];
  const regexes = new Map<string, RE2JS>();
  const ruleSets: CompiledRuleSet[] = [];
  const rules: CompiledRule[] = [];
  const seenSets = new Set<string>();
  const seenRules = new Set<string>();

  definitions.forEach((raw, setIndex) => {
    const header = ruleSetHeaderSchema.safeParse(raw);
    const rawSet = (raw ?? {}) as { id?: unknown; rules?: unknown };
    const ruleSetId = typeof rawSet.id === 'string' ? rawSet.id : `#${setIndex}`;
    if (!header.success) {
      problems.push(...header.error.issues.flatMap((issue) => schemaProblems(issue, ruleSetId, undefined)));
      return;
    }
    const set = header.data;
    if (seenSets.has(set.id))
      problems.push(duplicate(set.id, undefined, 'id', `rule set id "${set.id}" is used twice`));
    seenSets.add(set.id);
    const ruleIds: string[] = [];
    set.rules.forEach((rawRule, ruleIndex) => {
      const rawId = (rawRule as { id?: unknown } | null)?.id;
      const fallbackId = typeof rawId === 'string' ? rawId : `#${ruleIndex}`;
      const parsed = ruleSchema.safeParse(rawRule);
      if (!parsed.success) {
        problems.push(...parsed.error.issues.flatMap((issue) => schemaProblems(issue, set.id, fallbackId)));
        return;
      }
      const rule = parsed.data;
      if (seenRules.has(rule.id)) problems.push(duplicate(set.id, rule.id, 'id', `rule id "${rule.id}" is used twice`));
      seenRules.add(rule.id);
      const compiled = compileRule(rule, set.id, set.region, effective, problems, regexes);
      if (compiled !== undefined) {
        rules.push(compiled);
        ruleIds.push(rule.id);
      }
    });
    ruleSets.push({
      id: set.id,
      region: set.region,
      ...(set.description ? { description: set.description } : {}),
      ruleIds,
    });
  });

  if (problems.length > 0) throw new RuleCompileError(problems);
  const regions = [...new Set(ruleSets.map((s) => s.region))].sort((a, b) =>
    a === 'default' ? -1 : b === 'default' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  const snapshot = deepFreeze<CompiledRules>({ ruleSets, rules, regions, limits: effective });
  regexesBySnapshot.set(snapshot, regexes);
  return snapshot;
}

function compileRule(
  rule: ParsedRule,
  ruleSetId: string,
  region: string,
  limits: RegexLimits,
  problems: RuleProblem[],
  regexes: Map<string, RE2JS>,
): CompiledRule | undefined {
  const before = problems.length;
  const { match } = rule;
  let listIds: string[] | undefined;
  if (match.kind === 'regex') {
    const check = checkRegex(match.pattern, match.flags ?? '', limits);
    if (check.ok) regexes.set(rule.id, check.regex);
    else {
      const code = {
        syntax: RuleProblemCode.RegexSyntax,
        unsupported: RuleProblemCode.RegexUnsupported,
        limit: RuleProblemCode.RegexLimit,
      }[check.kind];
      problems.push({
        code,
        ruleSetId,
        ruleId: rule.id,
        field: 'match.pattern',
        pattern: match.pattern,
        reason: check.reason,
      });
    }
  } else if (match.kind === 'keyword') {
    listIds = [...(match.terms ? [`rule:${rule.id}`] : []), ...(match.list ? [match.list] : [])];
  }
  let window: CompiledWindow | undefined;
  if (rule.window !== undefined) {
    const result = compileWindow(rule.window);
    if (typeof result === 'string') {
      const zoneProblem = result.startsWith('unknown');
      problems.push({
        code: zoneProblem ? RuleProblemCode.UnknownZone : RuleProblemCode.InvalidWindow,
        ruleSetId,
        ruleId: rule.id,
        field: zoneProblem ? 'window.zone' : 'window.from',
        reason: result,
      });
    } else window = result;
  }
  if (problems.length > before) return undefined;
  return {
    id: rule.id,
    ruleSetId,
    region,
    ...(rule.description !== undefined ? { description: rule.description } : {}),
    direction: rule.direction,
    ...(rule.action !== undefined ? { action: rule.action } : {}),
    match: match.kind === 'keyword' && match.terms ? { ...match, terms: [...new Set(match.terms)] } : match,
    ...(listIds !== undefined ? { listIds } : {}),
    ...(window !== undefined ? { window } : {}),
    ...(rule.when !== undefined ? { when: rule.when } : {}),
    ...(rule.setsFlag !== undefined ? { setsFlag: rule.setsFlag } : {}),
    ...(rule.requiresFlag !== undefined ? { requiresFlag: rule.requiresFlag } : {}),
    severity: rule.severity ?? 0,
  };
}

function schemaProblems(issue: ZodIssue, ruleSetId: string, ruleId: string | undefined): RuleProblem[] {
  // An unknown key is usually a typo (`requireFlag`): name the key itself as the field.
  const fields = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
  return fields.map((path) => ({
    code: RuleProblemCode.Schema,
    ruleSetId,
    ruleId,
    field: path.length === 0 ? '(root)' : path.join('.'),
    reason: issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message,
  }));
}

function duplicate(ruleSetId: string, ruleId: string | undefined, field: string, reason: string): RuleProblem {
  return { code: RuleProblemCode.DuplicateId, ruleSetId, ruleId, field, reason };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

/** Q24.1: the per-rule keyword lists the engine's keyword automaton must contain, as `rule:<ruleId>`. */
export function keywordLists(compiled: CompiledRules): { id: string; terms: readonly string[] }[] {
  return compiled.rules.flatMap((rule) =>
    rule.match.kind === 'keyword' && rule.match.terms ? [{ id: `rule:${rule.id}`, terms: rule.match.terms }] : [],
  );
}

/** Named lists (e.g. `profanity:en`) that rules refer to; they come from the engine's default word lists. */
export function referencedWordLists(compiled: CompiledRules): string[] {
  const names = compiled.rules.flatMap((rule) =>
    rule.match.kind === 'keyword' && rule.match.list ? [rule.match.list] : [],
  );
  return [...new Set(names)].sort();
}
