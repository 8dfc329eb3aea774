import type { Language } from '../artifact';
import type { CategoryFigures, DecisionFigures } from './evaluate';
import { LABEL_MAP } from './labels';
import type { PipelineOptions, PipelineResult } from './pipeline';

export interface Goal {
  id: string;
  description: string;
  metric: string;
  goal: number;
  /** `min`: value must be ≥ goal; `max`: value must be < goal. */
  kind: 'min' | 'max';
  value: number;
  met: boolean;
}

export interface RunFacts {
  command: string;
  trainingSeconds: number;
  artifactFile: string;
  artifactBytes: number;
  loadMs: number;
  speed: { sameTextMicros: number; rotatingTextsMicros: number; iterations: number; textLength: number };
}

const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English (Davidson)',
  de: 'German (GermEval 2018)',
  pt: 'Portuguese (ToLD-Br)',
};

/** Q22.4: the goals this report claims, evaluated on the TEST split; the spec file asserts them back. */
export function goalsOf(test: CategoryFigures): Goal[] {
  const goal = (
    id: string,
    description: string,
    metric: string,
    target: number,
    kind: 'min' | 'max',
    value: number,
  ): Goal => ({
    id,
    description,
    metric,
    goal: target,
    kind,
    value,
    met: kind === 'min' ? value >= target : value < target,
  });
  const per = test.perLanguage;
  return [
    goal('en-f1', 'English F1 of the toxic class', 'toxic.perLanguage.en.f1', 0.93, 'min', per.en?.f1 ?? 0),
    goal('de-macro-f1', 'German macro-F1', 'toxic.perLanguage.de.macroF1', 0.75, 'min', per.de?.macroF1 ?? 0),
    goal('pt-macro-f1', 'Portuguese macro-F1', 'toxic.perLanguage.pt.macroF1', 0.75, 'min', per.pt?.macroF1 ?? 0),
    goal(
      'block-fp',
      'non-toxic rows blocked, all languages',
      'toxic.overall.blockFalsePositiveRate',
      0.001,
      'max',
      test.overall.blockFalsePositiveRate,
    ),
  ];
}

export function reportJson(result: PipelineResult, options: PipelineOptions, facts: RunFacts): Record<string, unknown> {
  const test = result.test.categories.toxic!;
  return {
    version: result.artifact.version,
    datasetSha256: options.datasetSha256,
    seed: options.seed,
    split: result.counts,
    ...(options.testSplitNote ? { testSplitNote: options.testSplitNote } : {}),
    thresholds: result.artifact.thresholds,
    calibrationLogits: result.artifact.calibration,
    goals: goalsOf(test),
    test: { ...result.test.categories, languageId: result.test.languageId },
    tuning: {
      on: result.tuning.on,
      rows: result.tuning.rows,
      ...result.tuning.figures.categories,
      languageId: result.tuning.figures.languageId,
    },
    run: facts,
  };
}

const f3 = (x: number): string => x.toFixed(3);
const perLanguage = (values: Record<string, number>): string =>
  Object.entries(values)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;

function decisionRow(name: string, f: DecisionFigures): string {
  return `| ${name} | ${f.support.positive} / ${f.support.negative} | ${f3(f.precision)} | ${f3(f.recall)} | ${f3(f.f1)} | ${f3(f.macroF1)} | ${pct(f.blockFalsePositiveRate)} (${f.blockFalsePositives}) | ${pct(f.blockedToxicShare)} | ${pct(f.reviewBandNonToxicShare)} | ${pct(f.reviewBandToxicShare)} |`;
}

const HEADER = [
  '| rows | toxic / non-toxic | precision | recall | F1 (toxic) | macro-F1 | FP at block | toxic blocked | non-toxic in review band | toxic in review band |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];

function table(figures: CategoryFigures): string[] {
  return [
    ...HEADER,
    ...(Object.entries(figures.perLanguage) as [Language, DecisionFigures][]).map(([l, f]) =>
      decisionRow(LANGUAGE_NAMES[l], f),
    ),
    decisionRow('all', figures.overall),
  ];
}

/** Figures only: the data sets' texts contain slurs, so no example text is ever written here. */
export function reportMarkdown(result: PipelineResult, options: PipelineOptions, facts: RunFacts): string {
  const { artifact, counts } = result;
  const t = artifact.thresholds.toxic!;
  const goals = goalsOf(result.test.categories.toxic!);
  const spec = artifact.features;
  const cv = result.tuning.on === 'out-of-fold';
  const tunedOn = cv ? 'out-of-fold scores' : 'validation';
  const quantile = options.calibration.blockQuantile;
  const blockRule = `${quantile > 0 ? `the logit that at most ${pct(quantile)} of` : 'the highest logit of'} the non-toxic ${cv ? 'out-of-fold' : 'validation'} rows reach, + ${options.calibration.blockMargin}`;
  const lines = [
    `# ${artifact.version} — toxicity model, evaluation on the test split`,
    '',
    `Written by \`${facts.command}\` (src/cli/train-moderation.ts); do not edit by hand. Artifact: \`model/${facts.artifactFile}\` (${(facts.artifactBytes / 1e6).toFixed(2)} MB).`,
    '',
    '| | |',
    '| --- | --- |',
    `| data | shared/datasets/toxicity/train.jsonl, sha256 \`${options.datasetSha256.slice(0, 16)}…\`: Davidson et al. 2017 (MIT), GermEval 2018 (CC BY 4.0), ToLD-Br (CC BY-SA 4.0) |`,
    `| split | seed ${options.seed}, stratified by language × label: ${counts.train} train / ${counts.validation} validation / ${counts.test} test${cv ? `; the shipped model is fitted on train + validation (${counts.train + counts.validation} rows), the knots on ${options.folds}-fold out-of-fold scores of those rows` : ''} |`,
    `| features | folded text (normaliser sha256 \`${options.normaliser.sha256.slice(0, 16)}…\`), mentions/URLs/RT/entities stripped; word 1–${spec.wordMaxN}-grams + char ${spec.charMinN}–${spec.charMaxN}-grams ${spec.charAcrossWords ? 'across word boundaries' : 'within space-padded words'}${spec.binary ? ' (presence only)' : ''}, rolling hashes into 2^${spec.bits} buckets |`,
    `| model | binary logistic regression per category, shared weights plus a per-language copy of every n-gram (value ${options.adaptScale}), folded into one int8 table per language; L2 ${options.train.l2}, lazy Adam lr ${options.train.learningRate}, batch ${options.train.batchSize}, ${options.train.epochs} epochs${options.train.averageLastEpoch ? ' (weights averaged over the last)' : ''}, class weights power ${perLanguage(options.classWeightPower)}, NB log-count-ratio input scaling α ${perLanguage(options.nbAlpha)} |`,
    `| language | word-n-gram scorer (2^${options.langBits} buckets) picks en/de/pt; test accuracy ${pct(result.test.languageId.accuracy)} |`,
    `| thresholds | calibrated scores: review ≥ ${t.review}, block ≥ ${t.block}; per-language knots chosen on ${tunedOn} only (review = macro-F1-optimal, block = ${blockRule}) |`,
    `| training | ${facts.trainingSeconds.toFixed(0)} s on one core${cv ? ` (${options.folds} fold fits and the final fit)` : ''}; every hyperparameter, feature choice and knot chosen without the test split (src/toxicity/training/config.ts says which and how) |`,
    ...(options.testSplitNote ? [`| test split | ${options.testSplitNote} |`] : []),
    `| inference | ${facts.speed.sameTextMicros.toFixed(1)} µs per ${facts.speed.textLength}-char text (same text, warm), ${facts.speed.rotatingTextsMicros.toFixed(1)} µs (100 distinct texts in rotation); process.hrtime.bigint over ${facts.speed.iterations} calls; artifact load ${facts.loadMs.toFixed(0)} ms |`,
    '',
    '## Goals (test split)',
    '',
    '| goal | target | reached | met |',
    '| --- | ---: | ---: | --- |',
    ...goals.map(
      (g) =>
        `| ${g.description} | ${g.kind === 'min' ? '≥' : '<'} ${g.goal} | ${g.id === 'block-fp' ? pct(g.value) : f3(g.value)} | ${g.met ? 'yes' : '**no**'} |`,
    ),
    '',
    '## `toxic` on the test split',
    '',
    `Precision, recall and F1 at the review threshold (${t.review} calibrated, i.e. each detected language's own macro-F1-optimal cut on ${tunedOn}). The review band is [review, block).`,
    '',
    ...table(result.test.categories.toxic!),
    '',
    '## Other categories on the test split (rows labelled for them only)',
    '',
  ];
  for (const category of artifact.categories.filter((c) => c !== 'toxic')) {
    const sources = Object.entries(LABEL_MAP[category as keyof typeof LABEL_MAP])
      .map(
        ([lang, map]) =>
          `${lang}: ${Object.entries(map)
            .map(([label, y]) => `${label}→${y}`)
            .join(', ')}`,
      )
      .join('; ');
    lines.push(
      `### ${category}`,
      '',
      `Labels: ${sources}; every other row is left out of this category's loss.`,
      '',
      ...table(result.test.categories[category]!),
      '',
    );
  }
  lines.push(
    cv
      ? `## Out-of-fold scores of train + validation (${result.tuning.rows} rows, where the thresholds were chosen)`
      : '## Validation split (where the thresholds were chosen)',
    '',
    ...(cv ? ['Each row scored by the fold model that was not fitted on it, calibrated as shipped.', ''] : []),
    ...table(result.tuning.figures.categories.toxic!),
    '',
  );
  return lines.join('\n');
}
