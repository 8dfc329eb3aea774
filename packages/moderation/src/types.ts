/**
 * The engine's shared vocabulary. Every offset in a result is a UTF-16 code-unit index into the
 * ORIGINAL text the caller passed (what `String.prototype.slice` takes), whatever stage found it and
 * whatever view of the text that stage read, so redaction cuts exactly the characters that carried
 * the finding.
 */

/** Half-open `[start, end)` range in the original text. */
export interface Span {
  start: number;
  end: number;
}

/** The verdict actions, least to most restrictive; `most restrictive wins` compares these ranks (Q23.4). */
export const ACTIONS = ['allow', 'redact', 'review', 'block'] as const;
export type Action = (typeof ACTIONS)[number];

export function actionRank(action: Action): number {
  return ACTIONS.indexOf(action);
}

export function mostRestrictive(a: Action, b: Action): Action {
  return actionRank(a) >= actionRank(b) ? a : b;
}

/** The categories the toxicity model scores (a model may score a subset; absent means 0). */
export const MODEL_CATEGORIES = ['toxic', 'insult', 'hate', 'profanity', 'threat'] as const;
export type ModelCategory = (typeof MODEL_CATEGORIES)[number];
export type CategoryScores = Partial<Record<ModelCategory, number>>;

export const PII_TYPES = [
  'email',
  'phone',
  'credit_card',
  'iban',
  'us_ssn',
  'br_cpf',
  'br_cnpj',
  'ip_address',
  'postal_address',
  'date_of_birth',
  'person',
] as const;
export type PiiType = (typeof PII_TYPES)[number];

export interface PiiFinding extends Span {
  type: PiiType;
  /** 0..1; context words near the finding raise it ("IBAN", "CPF", "Telefon"…). */
  score: number;
}

/** One word-list hit of the keyword automaton. */
export interface KeywordHit extends Span {
  /** The list the term came from, e.g. `profanity:en` or a rule's own list id. */
  listId: string;
  /** The term as written in the list (normalised). */
  term: string;
}

export type Direction = 'input' | 'output';

/** Who is talking and where, as far as the rules need to know (Q23.2, Q31.1, Q31.4). */
export interface ModerationContext {
  direction?: Direction;
  /** Region the account is registered in (wins over the IP's region, Q23.2). */
  accountRegion?: string;
  /** Region derived from the client IP (a VPN may make it wrong; only used when no account region). */
  ipRegion?: string;
  /** Extra regions whose rules also apply to this user (dual citizenship, Q23.4). */
  additionalRegions?: readonly string[];
  plan?: string;
  roles?: readonly string[];
  /** 0..1, 0.5 neutral; trusted users higher, users who trigger blocks lower (Q31.4). */
  reputation?: number;
  /** Evaluation instant (ms since epoch); time-window rules read it. Defaults to `Date.now()` at call time. */
  now?: number;
  /** Rolling summary of earlier turns of the same conversation (Q31.3). */
  conversation?: ConversationSummary;
}

/** What earlier verdicts of a conversation left behind, so a rule can depend on message 1 when judging message 5. */
export interface ConversationSummary {
  turns: number;
  /** Flags set by earlier turns' rules (`setsFlag`), e.g. `asked_for_medical_data`. */
  flags: readonly string[];
  /** Highest score per model category seen so far. */
  maxScores: CategoryScores;
  /** PII types seen so far. */
  piiTypes: readonly PiiType[];
}

export const EMPTY_CONVERSATION: ConversationSummary = Object.freeze({
  turns: 0,
  flags: Object.freeze([]) as readonly string[],
  maxScores: Object.freeze({}),
  piiTypes: Object.freeze([]) as readonly PiiType[],
});

export type StageName = 'normalise' | 'decode' | 'keywords' | 'regex' | 'pii' | 'model' | 'injection' | 'rules';

export interface RuleMatch extends Span {
  ruleId: string;
  kind: 'keyword' | 'regex' | 'pii' | 'category' | 'injection' | 'conversation';
  action: Action;
  /** For a `category` match: the model category whose score crossed the threshold. */
  category?: ModelCategory;
}

export interface Verdict {
  action: Action;
  /** Model categories with their scores, plus `pii:*` / rule categories that fired. */
  categories: { name: string; score: number }[];
  /** Rules that fired, with their spans (rules over the whole text carry the text's span). */
  matches: RuleMatch[];
  pii: PiiFinding[];
  /** The text with every `redact` span replaced; equals the input when nothing was redacted. */
  redactedText: string;
  /** Region rule sets that applied, after resolution (Q23.2). */
  regions: string[];
  snapshotVersion: string;
  engineVersion: string;
  stagesRun: StageName[];
  /** Flags this turn raises for later turns (fold with `summariseTurn`). */
  flags: string[];
}
