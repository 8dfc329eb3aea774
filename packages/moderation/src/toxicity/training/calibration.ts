import type { Language } from '../artifact';
import { bestMacroF1Threshold } from './metrics';

export interface Knots {
  review: number;
  block: number;
}

export interface CalibrationOptions {
  /** Logits added above the block reference logit (Q22.1: test FP at block must stay < 0.1 %). */
  blockMargin: number;
  /**
   * The block reference: the logit that at most this share of a language's non-toxic tuning rows reach
   * (0 = the highest one). With a few hundred validation negatives only 0 makes sense; out-of-fold
   * scores of thousands let a mislabelled handful stay out of the bound.
   */
  blockQuantile: number;
  /** A language needs this many labelled positives and negatives for knots of its own. */
  minPerClass: number;
}

export interface ValidationScores {
  logits: number[];
  /** 1 / 0, or -1 when the row is unlabelled for the category. */
  labels: number[];
  /** Detected language of each row: calibration is chosen by what the model can see at run time. */
  languages: Language[];
}

/** The logit that at most `share` of `negatives` reach or pass (the highest one when `share` is 0). */
export function negativeReference(negatives: readonly number[], share: number): number {
  const sorted = [...negatives].sort((a, b) => b - a);
  const allowed = Math.floor(share * sorted.length);
  return sorted[Math.min(allowed, sorted.length - 1)]!;
}

/**
 * Q22.1 / Q28.1, on the tuning rows only (validation split or out-of-fold scores): per detected language, `review` is the macro-F1-optimal
 * logit (the band above it goes to human review) and `block` sits `blockMargin` above the
 * logit that all but `blockQuantile` of the non-toxic rows stay below.
 */
export function chooseKnots(
  scores: ValidationScores,
  languages: readonly Language[],
  options: CalibrationOptions,
): { default: Knots; byLanguage: Partial<Record<Language, Knots>> } {
  const pick = (keep: (i: number) => boolean): Knots | undefined => {
    const logits: number[] = [];
    const labels: number[] = [];
    scores.labels.forEach((y, i) => {
      if (y >= 0 && keep(i)) {
        logits.push(scores.logits[i]!);
        labels.push(y);
      }
    });
    const positives = labels.filter((y) => y === 1).length;
    if (positives < options.minPerClass || labels.length - positives < options.minPerClass) return undefined;
    const review = bestMacroF1Threshold(logits, labels).threshold;
    const reference = negativeReference(
      logits.filter((_, i) => labels[i] === 0),
      options.blockQuantile,
    );
    return { review, block: Math.max(reference + options.blockMargin, review + options.blockMargin) };
  };
  // A category without enough validation labels keeps neutral knots (logit 0 reviews) rather than failing the run.
  const pooled = pick(() => true) ?? { review: 0, block: options.blockMargin };
  const byLanguage: Partial<Record<Language, Knots>> = {};
  for (const language of languages) {
    const knots = pick((i) => scores.languages[i] === language);
    if (knots) byLanguage[language] = knots;
  }
  return { default: pooled, byLanguage };
}
