import { normalise } from '../../text';
import { LANGUAGES, quantise, type Language, type ToxicityArtifact } from '../artifact';
import type { FeatureSpec } from '../features';
import { ToxicityModel } from '../model';
import { chooseKnots, type CalibrationOptions } from './calibration';
import { stratifiedFolds, stratifiedSplit, type LabelledRow, type Split, type SplitShares } from './dataset';
import { evaluateModel, evaluateScored, type EvaluationRow, type ScoredRow } from './evaluate';
import { TRAINED_CATEGORIES, targetsOf } from './labels';
import { logCountRatios, trainHeads, type TrainOptions } from './logistic';
import { featurise } from './sparse';

export interface PipelineOptions {
  version: string;
  seed: number;
  shares: SplitShares;
  features: FeatureSpec;
  langBits: number;
  train: Omit<TrainOptions, 'seed'>;
  langTrain: Omit<TrainOptions, 'seed'>;
  /** Per language: 0 = no class weights, 1 = each class of each category weighs the same in the loss. */
  classWeightPower: Record<Language, number>;
  /** Smoothing of the NB log-count ratios that scale the inputs, for the shared block and each language's copy; 0 = no scaling. */
  nbAlpha: { shared: number } & Record<Language, number>;
  /** Value of the per-language copy of each n-gram (Q22.3); 0 = shared weights only. */
  adaptScale: number;
  calibration: CalibrationOptions;
  /**
   * 0: fit on the train split, choose the knots on the validation split. k ≥ 2: k stratified folds over
   * train + validation give every row an out-of-fold logit to choose the knots on, then the shipped
   * model is fitted on all of train + validation (the test split is never part of either).
   */
  folds: number;
  thresholds: { review: number; block: number };
  /** What the report must say about how often the test split has been read. */
  testSplitNote?: string;
  datasetSha256: string;
  normaliser: { file: string; sha256: string; note: string };
}

export interface PipelineResult {
  artifact: ToxicityArtifact;
  model: ToxicityModel;
  counts: Record<Split, number>;
  /** Where the knots were chosen: the validation split, or the out-of-fold scores of train + validation. */
  tuning: { on: 'validation' | 'out-of-fold'; rows: number; figures: Evaluation };
  test: Evaluation;
}

type Evaluation = ReturnType<typeof evaluateModel>;

const HEADS = TRAINED_CATEGORIES.length;

/** Q22.4: balanced weights from the TRAIN split only: n / (2 · n_class) per language × category, raised to `power`. */
function sampleWeights(
  rows: readonly LabelledRow[],
  targets: number[][],
  train: readonly number[],
  power: Record<Language, number>,
): Float32Array {
  const counts = new Map<string, number>();
  const key = (lang: string, h: number, y: number) => `${lang}:${h}:${y}`;
  for (const r of train)
    targets[r]!.forEach(
      (y, h) => y >= 0 && counts.set(key(rows[r]!.lang, h, y), (counts.get(key(rows[r]!.lang, h, y)) ?? 0) + 1),
    );
  const out = new Float32Array(rows.length * HEADS);
  rows.forEach((row, r) =>
    targets[r]!.forEach((y, h) => {
      if (y < 0) return;
      const own = counts.get(key(row.lang, h, y)) ?? 1;
      const total = own + (counts.get(key(row.lang, h, 1 - y)) ?? 0);
      out[r * HEADS + h] = (total / (2 * own)) ** power[row.lang];
    }),
  );
  return out;
}

/** Q22.3: one table per language, shared + own weights (the shared ones alone when there are no copies). */
function foldTables(weights: Float64Array, size: number, copies: boolean): Float64Array {
  const table = size * HEADS;
  const out = new Float64Array(table * LANGUAGES.length);
  LANGUAGES.forEach((_, l) => {
    for (let i = 0; i < table; i += 1) out[l * table + i] = weights[i]! + (copies ? weights[(1 + l) * table + i]! : 0);
  });
  return out;
}

/** Everything computed once per run: folded texts, hashed features, targets, the split. */
interface Prepared {
  rows: readonly LabelledRow[];
  folded: string[];
  split: Split[];
  main: ReturnType<typeof featurise>['main'];
  lang: ReturnType<typeof featurise>['lang'];
  targets: number[][];
  y: Uint8Array;
  langY: Uint8Array;
  langWeights: Float32Array;
}

export function prepare(rows: readonly LabelledRow[], options: PipelineOptions): Prepared {
  const folded = rows.map((row) => normalise(row.text).folded.text);
  const languageOf = Int32Array.from(rows, (row) => LANGUAGES.indexOf(row.lang));
  const { main, lang } = featurise(folded, options.features, options.langBits, {
    languageOf,
    scale: options.adaptScale,
  });
  const targets = rows.map(targetsOf);
  const y = new Uint8Array(rows.length * HEADS);
  targets.forEach((t, r) => t.forEach((v, h) => (y[r * HEADS + h] = v === 1 ? 1 : 0)));
  const langY = new Uint8Array(rows.length * LANGUAGES.length);
  rows.forEach((row, r) => (langY[r * LANGUAGES.length + LANGUAGES.indexOf(row.lang)] = 1));
  const langWeights = new Float32Array(rows.length * LANGUAGES.length).fill(1);
  const split = stratifiedSplit(rows, options.shares, options.seed);
  return { rows, folded, split, main, lang, targets, y, langY, langWeights };
}

/** Fits the heads and the language scorer on `fit` (row indexes) and returns the uncalibrated artifact. */
export function fitDraft(p: Prepared, fit: readonly number[], options: PipelineOptions): ToxicityArtifact {
  const weights = sampleWeights(p.rows, p.targets, fit, options.classWeightPower);
  const size = 1 << options.features.bits;
  const alpha = options.nbAlpha;
  const alphas = options.adaptScale > 0 ? [alpha.shared, ...LANGUAGES.map((l) => alpha[l])] : [alpha.shared];
  const buckets = size * alphas.length;
  const ratios = alpha.shared > 0 ? logCountRatios(p.main, fit, p.y, weights, HEADS, buckets, alphas) : undefined;
  const heads = trainHeads(p.main, fit, p.y, weights, HEADS, buckets, { ...options.train, seed: options.seed }, ratios);
  const tables = foldTables(heads.weights, size, alphas.length > 1);
  const language = trainHeads(p.lang, fit, p.langY, p.langWeights, LANGUAGES.length, 1 << options.langBits, {
    ...options.langTrain,
    seed: options.seed + 1,
  });

  const q = quantise(tables, HEADS, LANGUAGES.length);
  const lq = quantise(language.weights, LANGUAGES.length);
  const placeholder = { default: { review: 0, block: 1 }, byLanguage: {} };
  const thresholds = Object.fromEntries(TRAINED_CATEGORIES.map((c) => [c, { ...options.thresholds }]));
  return {
    format: 'casebook.toxicity-model/2',
    version: options.version,
    description:
      'Binary logistic regression per category over hashed word and character n-grams of the folded text, shared plus per-language weights folded into one int8 table per language; the table and the calibration are picked by a word-n-gram language scorer (en/de/pt).',
    categories: [...TRAINED_CATEGORIES],
    features: { ...options.features },
    language: {
      languages: [...LANGUAGES],
      bits: options.langBits,
      bias: [...language.bias],
      scale: lq.scale,
      weights: lq.base64,
    },
    bias: LANGUAGES.flatMap(() => [...heads.bias]),
    scale: q.scale,
    weights: q.base64,
    calibration: Object.fromEntries(TRAINED_CATEGORIES.map((c) => [c, placeholder])),
    thresholds,
    training: {
      datasetSha256: options.datasetSha256,
      rows: p.rows.length,
      seed: options.seed,
      split: {
        shares: { ...options.shares, test: 1 - options.shares.train - options.shares.validation },
        stratifiedBy: 'language × label',
      },
      optimiser: { name: 'lazy Adam, binary cross-entropy per category', ...options.train },
      languageOptimiser: { ...options.langTrain },
      classWeightPower: { ...options.classWeightPower },
      nbAlpha: { ...options.nbAlpha },
      adaptScale: options.adaptScale,
      calibration: {
        ...options.calibration,
        tunedOn: options.folds > 1 ? `${options.folds}-fold out-of-fold scores of train + validation` : 'validation',
      },
    },
    normaliser: { ...options.normaliser },
  };
}

/** The uncalibrated logits of `rows` under `model`, with the language it detects for each. */
export function logitsOf(
  model: ToxicityModel,
  p: Prepared,
  rows: readonly number[],
): { detected: Language; logits: number[] }[] {
  const logits = new Float64Array(HEADS);
  return rows.map((r) => {
    const detected = LANGUAGES[model.logits(p.folded[r]!, logits)]!;
    return { detected, logits: [...logits] };
  });
}

export function runPipeline(rows: readonly LabelledRow[], options: PipelineOptions): PipelineResult {
  const p = prepare(rows, options);
  const indexesOf = (s: Split) => p.split.flatMap((x, i) => (x === s ? [i] : []));
  const train = indexesOf('train');
  const validation = indexesOf('validation');
  const crossValidate = options.folds > 1;
  const fit = crossValidate ? [...train, ...validation].sort((a, b) => a - b) : train;

  // Q22.1: knots come from quantised models' logits on rows they were not fitted on, i.e. from what ships.
  const tuningRows: number[] = [];
  const tuningLogits: { detected: Language; logits: number[] }[] = [];
  /** Per tuning row, the model that scored it (for the out-of-fold figures). */
  const scorers: ToxicityArtifact[] = [];
  let draft: ToxicityArtifact;
  if (crossValidate) {
    const fold = stratifiedFolds(rows, fit, options.folds, options.seed);
    for (let k = 0; k < options.folds; k += 1) {
      const held = fit.filter((r) => fold.get(r) === k);
      const foldDraft = fitDraft(
        p,
        fit.filter((r) => fold.get(r) !== k),
        options,
      );
      tuningRows.push(...held);
      tuningLogits.push(...logitsOf(ToxicityModel.fromArtifact(foldDraft), p, held));
      scorers.push(...held.map(() => foldDraft));
    }
    draft = fitDraft(p, fit, options);
  } else {
    draft = fitDraft(p, fit, options);
    tuningRows.push(...validation);
    tuningLogits.push(...logitsOf(ToxicityModel.fromArtifact(draft), p, validation));
    scorers.push(...validation.map(() => draft));
  }
  const calibration: ToxicityArtifact['calibration'] = {};
  TRAINED_CATEGORIES.forEach((category, h) => {
    calibration[category] = chooseKnots(
      {
        logits: tuningLogits.map((v) => v.logits[h]!),
        labels: tuningRows.map((r) => p.targets[r]![h]!),
        languages: tuningLogits.map((v): Language => v.detected),
      },
      LANGUAGES,
      options.calibration,
    );
  });
  const artifact: ToxicityArtifact = { ...draft, calibration };
  const model = ToxicityModel.fromArtifact(artifact);
  const evalRow = (r: number): EvaluationRow => ({ folded: p.folded[r]!, lang: rows[r]!.lang, targets: p.targets[r]! });
  // The tuning figures score each row with the model that did not see it, calibrated as shipped.
  const calibrated = new Map<ToxicityArtifact, ToxicityModel>();
  const scored: ScoredRow[] = tuningRows.map((r, i) => {
    const source = scorers[i]!;
    let scorer = calibrated.get(source);
    if (scorer === undefined) {
      scorer = ToxicityModel.fromArtifact({ ...source, calibration });
      calibrated.set(source, scorer);
    }
    return { ...evalRow(r), ...scoreRow(scorer, p.folded[r]!) };
  });
  const test = indexesOf('test');
  return {
    artifact,
    model,
    counts: { train: train.length, validation: validation.length, test: test.length },
    tuning: {
      on: crossValidate ? 'out-of-fold' : 'validation',
      rows: tuningRows.length,
      figures: evaluateScored(model, scored),
    },
    test: evaluateModel(model, test.map(evalRow)),
  };
}

function scoreRow(model: ToxicityModel, folded: string): Pick<ScoredRow, 'scores' | 'detected'> {
  const logits = new Float64Array(model.categories.length);
  return { scores: model.score(folded), detected: model.languages[model.logits(folded, logits)]! };
}
