import {
  compileSnapshot,
  loadDefaultModel,
  RuleCompileError,
  type RuleSetDefinition,
  type Snapshot,
} from '@casebook/moderation';
import { ProblemError } from '@casebook/platform';
import { ModerationErrorCode } from '../moderate/moderation-errors';

/**
 * Q24.1, Q24.2: the one way a stored policy becomes a snapshot. A policy that does not compile (schema,
 * regex syntax, RE2-unsupported constructs, size limits that guard against ReDoS, unknown zones or word
 * lists) is a 422 naming every problem, with the rule, the field and the offending pattern.
 */
export function compilePolicy(definitions: readonly RuleSetDefinition[], version?: string): Snapshot {
  try {
    return compileSnapshot({ ruleSets: definitions, model: loadDefaultModel(), version });
  } catch (error) {
    if (!(error instanceof RuleCompileError)) throw error;
    throw new ProblemError({
      code: ModerationErrorCode.RuleSetInvalid,
      detail: `${error.problems.length} problem(s) in the rule sets; nothing was stored or published.`,
      extensions: { problems: error.problems },
    });
  }
}
