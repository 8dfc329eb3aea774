import { createHash } from 'node:crypto';
import { KeywordAutomaton, defaultWordLists, type KeywordList } from '../keywords';
import {
  compileRules,
  keywordLists,
  referencedWordLists,
  RuleCompileError,
  RuleProblemCode,
  type RuleProblem,
  type CompiledRules,
  type RegexLimits,
  type RuleSetDefinition,
} from '../rules';
import { defaultRuleSets } from '../rulesets';
import { loadDefaultModel, type ToxicityModel } from '../toxicity';
import { ENGINE_VERSION } from './version';

/** Everything `evaluate` needs, compiled once and never changed (Q24.3). */
export interface Snapshot {
  /** The rule-set version this snapshot was compiled from (what a verdict reports). */
  readonly version: string;
  readonly engineVersion: string;
  readonly rules: CompiledRules;
  readonly automaton: KeywordAutomaton;
  /** `null`: the model stage is off (or unavailable) and category rules see no scores. */
  readonly model: ToxicityModel | null;
  /** The definitions it was compiled from, for previews and diffs. */
  readonly ruleSets: readonly RuleSetDefinition[];
}

export interface SnapshotSource {
  ruleSets: readonly RuleSetDefinition[];
  /** Defaults to a content hash of the rule sets, so equal definitions give equal versions. */
  version?: string;
  /** Word lists that keyword rules can name (`list: 'profanity:en'`); defaults to the shipped lists. */
  wordLists?: readonly KeywordList[];
  model: ToxicityModel | null;
  limits?: Partial<RegexLimits>;
}

/**
 * Compiles rule sets, word lists and a model into a frozen snapshot. Throws `RuleCompileError` (naming
 * every bad rule and pattern) before anything is swapped in, so a bad publish never reaches traffic.
 * Swapping is then one reference assignment by the holder; a request that started with the old
 * snapshot keeps it, because `evaluate` only reads the snapshot it was given.
 */
export function compileSnapshot(source: SnapshotSource): Snapshot {
  const rules = compileRules(source.ruleSets, source.limits);
  const named = new Map((source.wordLists ?? defaultWordLists()).map((list) => [list.id, list]));
  const lists: KeywordList[] = [...keywordLists(rules)];
  // Only the named lists some rule refers to: an unused list would cost scan time and hit nothing.
  const missing: RuleProblem[] = [];
  for (const id of referencedWordLists(rules)) {
    const list = named.get(id);
    if (list) lists.push(list);
    else missing.push(unknownList(source.ruleSets, id));
  }
  if (missing.length > 0) throw new RuleCompileError(missing);
  const automaton = KeywordAutomaton.compile(lists);
  return Object.freeze({
    version: source.version ?? versionOf(source.ruleSets),
    engineVersion: source.model ? `${ENGINE_VERSION}+${source.model.version}` : ENGINE_VERSION,
    rules,
    automaton,
    model: source.model,
    ruleSets: Object.freeze([...source.ruleSets]),
  });
}

function versionOf(ruleSets: readonly RuleSetDefinition[]): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(ruleSets)).digest('hex').slice(0, 16)}`;
}

function unknownList(ruleSets: readonly RuleSetDefinition[], id: string): RuleProblem {
  for (const set of ruleSets) {
    for (const rule of set.rules) {
      if (rule.match.kind === 'keyword' && rule.match.list === id) {
        return {
          code: RuleProblemCode.UnknownList,
          ruleSetId: set.id,
          ruleId: rule.id,
          field: 'match.list',
          reason: `no word list named ${id}`,
        };
      }
    }
  }
  return {
    code: RuleProblemCode.UnknownList,
    ruleSetId: undefined,
    ruleId: undefined,
    field: 'match.list',
    reason: `no word list named ${id}`,
  };
}

let shipped: Snapshot | undefined;

/**
 * The shipped rule sets with the shipped model, compiled once per process (a snapshot is frozen, so every
 * holder can start from the same one): what an instance serves before any rule set is published.
 */
export function shippedSnapshot(): Snapshot {
  if (!shipped) {
    const model = loadDefaultModel();
    shipped = compileSnapshot({ ruleSets: defaultRuleSets(model.thresholds), model });
  }
  return shipped;
}
