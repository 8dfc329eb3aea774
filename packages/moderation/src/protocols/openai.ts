import type { Verdict } from '../types';

/**
 * Q34.3: the OpenAI moderation response shape (`POST /v1/moderations`), so OpenAI SDKs and LiteLLM's
 * `openai_moderation` guardrail work against casebook unchanged. OpenAI's taxonomy is wider than the
 * engine's; each OpenAI category reads the engine categories that mean it, and the ones casebook has no
 * detector for (self-harm, sexual, illicit, graphic violence) always score 0 and are never flagged.
 */
export const OPENAI_CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/intent',
  'self-harm/instructions',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const;
export type OpenAiCategory = (typeof OPENAI_CATEGORIES)[number];

/** Engine category → the OpenAI categories it stands for (score = the highest engine score mapped). */
const SOURCES: Partial<Record<OpenAiCategory, readonly string[]>> = {
  harassment: ['toxic', 'insult', 'profanity'],
  'harassment/threatening': ['threat'],
  hate: ['hate'],
  violence: ['threat'],
};

export interface OpenAiModerationResult {
  flagged: boolean;
  categories: Record<OpenAiCategory, boolean>;
  category_scores: Record<OpenAiCategory, number>;
  category_applied_input_types: Record<OpenAiCategory, 'text'[]>;
}

export interface OpenAiModerationResponse {
  id: string;
  model: string;
  results: OpenAiModerationResult[];
}

/**
 * One result per input text. `flagged` is the engine's own decision (anything but `allow`), so a PII or
 * rule hit flags the text even where no OpenAI category names it; a category is flagged when a rule
 * on one of its engine categories fired.
 */
export function toOpenAiModeration(id: string, model: string, verdicts: readonly Verdict[]): OpenAiModerationResponse {
  return { id, model, results: verdicts.map(resultOf) };
}

function resultOf(verdict: Verdict): OpenAiModerationResult {
  const scores = new Map(verdict.categories.map((c) => [c.name, c.score]));
  const fired = new Set<string | undefined>(verdict.matches.map((m) => m.category));
  const categories = {} as Record<OpenAiCategory, boolean>;
  const categoryScores = {} as Record<OpenAiCategory, number>;
  const applied = {} as Record<OpenAiCategory, 'text'[]>;
  for (const name of OPENAI_CATEGORIES) {
    const sources = SOURCES[name] ?? [];
    categoryScores[name] = Math.max(0, ...sources.map((s) => scores.get(s) ?? 0));
    categories[name] = sources.some((s) => fired.has(s));
    applied[name] = ['text'];
  }
  return {
    flagged: verdict.action !== 'allow',
    categories,
    category_scores: categoryScores,
    category_applied_input_types: applied,
  };
}
