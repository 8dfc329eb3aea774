import type { Language } from '../artifact';
import type { ToxicityModel } from '../model';
import { countAt, metricsOf, type BinaryMetrics } from './metrics';

export interface DecisionFigures extends BinaryMetrics {
  /** Q22.1: non-toxic rows at or above `block`, over all non-toxic rows. */
  blockFalsePositiveRate: number;
  blockFalsePositives: number;
  /** Toxic rows at or above `block`. */
  blockedToxicShare: number;
  /** Q28.1: rows in `[review, block)`, the band a person looks at. */
  reviewBandNonToxicShare: number;
  reviewBandToxicShare: number;
}

export interface CategoryFigures {
  overall: DecisionFigures;
  perLanguage: Partial<Record<Language, DecisionFigures>>;
}

export interface EvaluationRow {
  folded: string;
  lang: Language;
  /** Target per model category, in the model's category order (-1 = unlabelled). */
  targets: readonly number[];
}

function figures(scores: number[], labels: number[], review: number, block: number): DecisionFigures {
  const atReview = metricsOf(countAt(scores, labels, review));
  const atBlock = countAt(scores, labels, block);
  let bandNegative = 0;
  let bandPositive = 0;
  scores.forEach((s, i) => {
    if (s < review || s >= block) return;
    if (labels[i] === 1) bandPositive += 1;
    else bandNegative += 1;
  });
  const negatives = atReview.support.negative;
  const positives = atReview.support.positive;
  const share = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  return {
    ...atReview,
    blockFalsePositiveRate: share(atBlock.fp, negatives),
    blockFalsePositives: atBlock.fp,
    blockedToxicShare: share(atBlock.tp, positives),
    reviewBandNonToxicShare: share(bandNegative, negatives),
    reviewBandToxicShare: share(bandPositive, positives),
  };
}

/** Scores every row with the model as shipped (calibrated, language detected) and cuts at its thresholds. */
export function evaluateModel(
  model: ToxicityModel,
  rows: readonly EvaluationRow[],
): {
  categories: Record<string, CategoryFigures>;
  languageId: { accuracy: number; perLanguage: Partial<Record<Language, number>> };
} {
  const logits = new Float64Array(model.categories.length);
  const scored = rows.map((row) => ({
    scores: model.score(row.folded),
    detected: model.languages[model.logits(row.folded, logits)]!,
  }));
  const categories: Record<string, CategoryFigures> = {};
  model.categories.forEach((category, c) => {
    const { review, block } = model.thresholds[category]!;
    const pick = (keep: (row: EvaluationRow) => boolean) => {
      const scores: number[] = [];
      const labels: number[] = [];
      rows.forEach((row, i) => {
        if (row.targets[c]! >= 0 && keep(row)) {
          scores.push(scored[i]!.scores[category] ?? 0);
          labels.push(row.targets[c]!);
        }
      });
      return scores.length === 0 ? undefined : figures(scores, labels, review, block);
    };
    const perLanguage: Partial<Record<Language, DecisionFigures>> = {};
    for (const language of model.languages) {
      const f = pick((row) => row.lang === language);
      if (f) perLanguage[language] = f;
    }
    categories[category] = { overall: pick(() => true)!, perLanguage };
  });
  const perLanguage: Partial<Record<Language, number>> = {};
  for (const language of model.languages) {
    const own = rows.map((row, i) => ({ row, i })).filter(({ row }) => row.lang === language);
    if (own.length) perLanguage[language] = own.filter(({ i }) => scored[i]!.detected === language).length / own.length;
  }
  const correct = rows.filter((row, i) => scored[i]!.detected === row.lang).length;
  return { categories, languageId: { accuracy: rows.length ? correct / rows.length : 0, perLanguage } };
}
