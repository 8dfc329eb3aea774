// The engine: compile once, evaluate many (pure), stream.
export { compileSnapshot, evaluate, ENGINE_VERSION, chunksOf, shippedSnapshot } from './engine';
export type { Snapshot, SnapshotSource } from './engine';
export { StreamModerator, DEFAULT_REPLACEMENT } from './stream';
export type { StreamEmission, StreamOptions, StreamResult } from './stream';
export { summariseTurn } from './conversation';

// Serving: hot-swapped snapshots with an optional shadow, draft previews, wire formats, compliance search.
export { SnapshotHolder, previewDiff } from './engine';
export type { HeldVerdict, PreviewChange, PreviewDiff, PreviewSample } from './engine';
export { OPENAI_CATEGORIES, toOpenAiModeration, directionOf, toLiteLlmGuardrail } from './protocols';
export type {
  OpenAiCategory,
  OpenAiModerationResponse,
  OpenAiModerationResult,
  LiteLlmGuardrailRequest,
  LiteLlmGuardrailResponse,
} from './protocols';
export { termDigests, termQuery } from './compliance';

// Rules: definitions, compile errors, the shipped rule sets.
export { ruleSetSchema, RuleCompileError } from './rules';
export type { RuleSetDefinition, RuleDefinition, RegexLimits } from './rules';
export { defaultRuleSets } from './rulesets';

// Stages, for callers that need one on its own (tests, previews, the training CLI).
export { normalise } from './text';
export type { NormalisedText, TextView } from './text';
export { KeywordAutomaton, defaultWordLists } from './keywords';
export type { KeywordList } from './keywords';
export { detectPii, PII_DETECTOR_VERSION } from './pii';
export { ToxicityModel, loadDefaultModel } from './toxicity';
export { detectInjection } from './injection';

// Q32.4: the adversarial regression set and the evasions it is multiplied by.
export { ADVERSARIAL_CASES, obfuscate, unmark } from './adversarial';
export type { AdversarialCase, Obfuscation } from './adversarial';

export { ACTIONS, actionRank, mostRestrictive, MODEL_CATEGORIES, PII_TYPES, EMPTY_CONVERSATION } from './types';
export type {
  Action,
  CategoryScores,
  ConversationSummary,
  Direction,
  KeywordHit,
  ModelCategory,
  ModerationContext,
  PiiFinding,
  PiiType,
  RuleMatch,
  Span,
  StageName,
  Verdict,
} from './types';
