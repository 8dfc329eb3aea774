import {
  compileSnapshot,
  loadDefaultModel,
  RuleCompileError,
  type RuleSetDefinition,
  type Snapshot,
} from '@casebook/moderation';
import { ProblemError } from '@casebook/platform';
import { ModerationErrorCode } from '../moderate/moderation-errors';

// A version is immutable and named by the hash of its definitions, and a snapshot is frozen: the draft's
// compile serves the publish check and the swap after it, on this instance, without compiling again.
const compiled = new Map<string, Snapshot>();
const KEEP = 8;

function remember(snapshot: Snapshot): void {
  compiled.delete(snapshot.version);
  compiled.set(snapshot.version, snapshot);
  if (compiled.size > KEEP) compiled.delete(compiled.keys().next().value!);
}

/**
 * Q24.1, Q24.2: the one way a stored policy becomes a snapshot. A policy that does not compile (schema,
 * regex syntax, RE2-unsupported constructs, size limits that guard against ReDoS, unknown zones or word
 * lists) is a 422 naming every problem, with the rule, the field and the offending pattern.
 */
export function compilePolicy(definitions: readonly RuleSetDefinition[], version?: string): Snapshot {
  const known = version === undefined ? undefined : compiled.get(version);
  if (known) return known;
  try {
    const snapshot = compileSnapshot({ ruleSets: definitions, model: loadDefaultModel(), version });
    remember(snapshot);
    return snapshot;
  } catch (error) {
    if (!(error instanceof RuleCompileError)) throw error;
    throw new ProblemError({
      code: ModerationErrorCode.RuleSetInvalid,
      detail: `${error.problems.length} problem(s) in the rule sets; nothing was stored or published.`,
      extensions: { problems: error.problems },
    });
  }
}
