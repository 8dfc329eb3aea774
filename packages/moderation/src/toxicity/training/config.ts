import type { PipelineOptions } from './pipeline';

/**
 * toxicity-v3: the features and optimiser of toxicity-v2, which were picked on the VALIDATION split
 * (same seed-22 split as v1) by the mean of German and Portuguese macro-F1: shared weights only 0.747;
 * Q22.3 per-language copies at value 0.5 0.768; presence-only features 0.760; char n-grams within words
 * 0.767 (across 0.768) with 35 % fewer lookups; 2^17 buckets 0.770; word trigrams 0.771. Differences
 * under ~0.01 are noise on ~500 German validation rows, so the cheaper setting won each tie.
 *
 * What v3 changes is where the knots come from (Q22.1). v2 chose them on ~330 English validation
 * negatives, too few to bound a 0.1 % block rate: its first test reading blocked 7 of 3,449 non-toxic
 * rows (0.20 %). v3 fits 5 stratified folds over train + validation, chooses the knots on the
 * out-of-fold scores (2,652 English, 2,628 German, 8,521 Portuguese negatives) and ships a model fitted
 * on all of train + validation. The block rule was set on those out-of-fold scores alone: the logit
 * that at most 0.05 % of a language's negatives reach, plus 2 (out-of-fold: 1 of 2,652 English, 0 of
 * 2,628 German, 2 of 8,521 Portuguese negatives blocked). A 5-fold sweep on the same scores (6 epochs,
 * class-weight power 1 for de/pt) moved German and Portuguese macro-F1 by under 0.005, so the
 * optimiser settings stayed. Because v3 was built after v2's test reading, its test figures are a
 * second look at that split, stated as such in the report.
 */
export const DEFAULT_OPTIONS: Omit<PipelineOptions, 'datasetSha256' | 'normaliser'> = {
  version: 'toxicity-v3',
  seed: 22,
  shares: { train: 0.7, validation: 0.1 },
  features: { bits: 17, wordMaxN: 2, charMinN: 3, charMaxN: 5, charAcrossWords: false, binary: false },
  langBits: 14,
  train: { epochs: 4, batchSize: 16, learningRate: 0.01, l2: 1e-6 },
  langTrain: { epochs: 1, batchSize: 32, learningRate: 0.02, l2: 0 },
  classWeightPower: { en: 0.5, de: 0.5, pt: 0.5 },
  nbAlpha: { shared: 1, en: 1, de: 1, pt: 1 },
  adaptScale: 0.5,
  calibration: { blockMargin: 2, minPerClass: 20, blockQuantile: 0.0005 },
  folds: 5,
  thresholds: { review: 0.5, block: 0.9 },
  testSplitNote:
    "second reading: toxicity-v2's report read the test split once; v3's changes (k-fold knots, fit on train + validation, the block rule) were chosen on out-of-fold scores, not on test figures",
};
