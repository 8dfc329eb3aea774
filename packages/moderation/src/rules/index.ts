export { compileRules, keywordLists, referencedWordLists } from './compile';
export type { CompiledRule, CompiledRuleSet, CompiledRules } from './compile';
export { decide, audienceMatches } from './decide';
export type { Decision, DecisionInput } from './decide';
export { RuleCompileError, RuleProblemCode, describeProblem } from './errors';
export type { RuleProblem } from './errors';
export { DEFAULT_REGEX_LIMITS, checkRegex, repeatCounts } from './regex-policy';
export type { RegexCheck, RegexLimits } from './regex-policy';
export { resolveRegions } from './regions';
export { REPUTATION_POLICY, adjustThresholds } from './reputation';
export type { Thresholds } from './reputation';
export { scanRegexes } from './scan';
export type { RegexHit } from './scan';
export { WEEKDAYS, ruleSchema, ruleSetSchema } from './schema';
export type {
  RuleAudience,
  RuleDefinition,
  RuleMatchDefinition,
  RuleSetDefinition,
  RuleWindow,
  Weekday,
} from './schema';
export { inWindow, localTime } from './window';
export type { CompiledWindow } from './window';
