import type { CategoryScores, ConversationSummary, ModelCategory, PiiType, Verdict } from './types';

const MAX_FLAGS = 32;

/**
 * Q31.3: folds one turn's verdict into the conversation's rolling summary, so a rule can say "an output
 * with card numbers is blocked when an earlier input asked for them". Bounded whatever the length of the
 * conversation: flags and PII types are sets, scores keep their maximum.
 */
export function summariseTurn(summary: ConversationSummary, verdict: Verdict): ConversationSummary {
  const maxScores: CategoryScores = { ...summary.maxScores };
  for (const { name, score } of verdict.categories) {
    const category = name as ModelCategory;
    if (score > (maxScores[category] ?? 0)) maxScores[category] = score;
  }
  const flags = [...new Set([...summary.flags, ...verdict.flags])].slice(-MAX_FLAGS);
  const piiTypes = [...new Set<PiiType>([...summary.piiTypes, ...verdict.pii.map((f) => f.type)])];
  return Object.freeze({ turns: summary.turns + 1, flags, maxScores, piiTypes });
}
