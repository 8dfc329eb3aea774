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

export interface ScoredRow extends EvaluationRow {
  scores: Partial<Record<string, number>>;
  detected: Language;
}

/** Scores every row with the model as shipped (calibrated, language detected) and cuts at its thresholds. */
export function evaluateModel(model: ToxicityModel, rows: readonly EvaluationRow[]): Evaluation {
  const logits = new Float64Array(model.categories.length);
  return evaluateScored(
    model,
    rows.map((row) => ({
      ...row,
      scores: model.score(row.folded),
      detected: model.languages[model.logits(row.folded, logits)]!,
    })),
  );
}

export interface Evaluation {
  categories: Record<string, CategoryFigures>;
  languageId: { accuracy: number; perLanguage: Partial<Record<Language, number>> };
}

/** Figures of rows already scored (by this model, or by fold models calibrated like it), cut at `model`'s thresholds. */
export function evaluateScored(model: ToxicityModel, rows: readonly ScoredRow[]): Evaluation {
  const categories: Record<string, CategoryFigures> = {};
  model.categories.forEach((category, c) => {
    const { review, block } = model.thresholds[category]!;
    const pick = (keep: (row: ScoredRow) => boolean) => {
      const scores: number[] = [];
      const labels: number[] = [];
      rows.forEach((row) => {
        if (row.targets[c]! >= 0 && keep(row)) {
          scores.push(row.scores[category] ?? 0);
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
    const own = rows.filter((row) => row.lang === language);
    if (own.length) perLanguage[language] = own.filter((row) => row.detected === language).length / own.length;
  }
  const correct = rows.filter((row) => row.detected === row.lang).length;
  return { categories, languageId: { accuracy: rows.length ? correct / rows.length : 0, perLanguage } };
}
