/** Stable codes for everything that can be wrong with a rule-set definition (Q24.1, Q24.2). */
export enum RuleProblemCode {
  /** The definition does not match the schema (missing field, wrong type, unknown key). */
  Schema = 'RULE_SCHEMA',
  DuplicateId = 'RULE_DUPLICATE_ID',
  /** re2js could not parse the pattern. */
  RegexSyntax = 'RULE_REGEX_SYNTAX',
  /** Backreferences and lookaround: RE2 refuses them because they cannot run in linear time. */
  RegexUnsupported = 'RULE_REGEX_UNSUPPORTED',
  /** The pattern parses but exceeds a `RegexLimits` bound. */
  RegexLimit = 'RULE_REGEX_LIMIT',
  UnknownZone = 'RULE_UNKNOWN_ZONE',
  InvalidWindow = 'RULE_INVALID_WINDOW',
  /** A keyword rule names a word list the engine does not have. */
  UnknownList = 'RULE_UNKNOWN_LIST',
}

/** One problem with one field of one rule (or of the rule set itself when `ruleId` is undefined). */
export interface RuleProblem {
  code: RuleProblemCode;
  ruleSetId: string | undefined;
  ruleId: string | undefined;
  /** Dotted path relative to the rule (or to the rule set for set-level fields), e.g. `match.pattern`. */
  field: string;
  pattern?: string;
  reason: string;
}

/**
 * Thrown by `compileRules` with every problem found, so a compliance editor fixes them in one round
 * rather than one per submission (Q24.1). The first problem's fields are mirrored on the error.
 */
export class RuleCompileError extends Error {
  readonly problems: readonly RuleProblem[];
  readonly code: RuleProblemCode;
  readonly ruleSetId: string | undefined;
  readonly ruleId: string | undefined;
  readonly field: string;
  readonly pattern: string | undefined;
  readonly reason: string;

  constructor(problems: readonly RuleProblem[]) {
    super(`Invalid rule definitions (${problems.length}):\n${problems.map(describeProblem).join('\n')}`);
    this.name = 'RuleCompileError';
    const first = problems[0]!;
    this.problems = Object.freeze(problems.map((p) => Object.freeze({ ...p })));
    this.code = first.code;
    this.ruleSetId = first.ruleSetId;
    this.ruleId = first.ruleId;
    this.field = first.field;
    this.pattern = first.pattern;
    this.reason = first.reason;
  }
}

export function describeProblem(p: RuleProblem): string {
  const where = [p.ruleSetId ?? '?', p.ruleId].filter((s) => s !== undefined).join('/');
  const pattern = p.pattern === undefined ? '' : ` (pattern ${JSON.stringify(p.pattern)})`;
  return `- ${p.code} ${where} ${p.field}${pattern}: ${p.reason}`;
}
