import { parseArtifact, type IntentModelArtifact } from '../artifact';
import { IntentClassifier } from '../intent-classifier';
import type { LanguageDetector } from '../language';
import { IntentModel } from '../model';
import { formatArtifact } from './artifact-json';
import { type Dataset, type Example, stratifiedFolds, stratifiedSplit } from './dataset';
import {
  computeMetrics,
  type DecisionStats,
  decisionStats,
  type Latency,
  measureLatency,
  type Metrics,
  type Scored,
  scoreExamples,
} from './evaluate';
import { chooseThresholds, type ThresholdChoice } from './thresholds';
import { trainArtifact } from './train';
import type { VersionSpec } from './versions';

export interface PipelineOptions {
  heldOutShare: number;
  seed: number;
  folds: number;
  /** See `MISROUTE_COST`. */
  misrouteCost: number;
  languages: LanguageDetector;
  /** Calls to time; 0 skips the latency measurement (tests). */
  latencyCalls: number;
  /** Also train on the English rows only and grade on the Spanish ones (Q7.4). */
  englishOnlyStudy: boolean;
}

export interface EnglishOnlyStudy {
  /** Argmax accuracy on the Spanish held-out rows of a model trained on English rows only. */
  spanish: Metrics;
  spanishDecisions: DecisionStats;
  english: Metrics;
  thresholds: ThresholdChoice['chosen'];
}

export interface VersionEvaluation {
  spec: VersionSpec;
  datasetRows: number;
  trainRows: number;
  heldOutRows: number;
  featureCount: number;
  thresholds: ThresholdChoice;
  metrics: Metrics;
  decisions: DecisionStats;
  /** Held-out decisions per language. */
  decisionsByLanguage: Array<{ lang: string; stats: DecisionStats }>;
  /** Held-out questions routed to the wrong intent, with what the model said. */
  misrouted: Array<{ text: string; truth: string; predicted: string; confidence: number; margin: number }>;
  latency: Latency | null;
  englishOnly: EnglishOnlyStudy | null;
}

export interface VersionBuild {
  artifact: IntentModelArtifact;
  /** The artifact file's exact content. */
  json: string;
  evaluation: VersionEvaluation;
}

/**
 * One version end to end: split, thresholds from cross-validation on the training split, the final
 * model on the whole training split, then the held-out grading of the written file (round-tripped
 * through the runtime loader, so the report describes what production loads).
 */
export function buildVersion(dataset: Dataset, spec: VersionSpec, options: PipelineOptions): VersionBuild {
  const { train, heldOut } = stratifiedSplit(dataset.examples, options);
  const context = {
    datasetSha256: dataset.sha256,
    seed: options.seed,
    heldOutShare: options.heldOutShare,
    heldOutRows: heldOut.length,
  };
  const fitted = fitWithThresholds(train, spec, context, options);
  const model = new IntentModel(parseArtifact(JSON.parse(formatArtifact(fitted.artifact))));
  const scored = scoreExamples(model, heldOut);
  const metrics = computeMetrics(scored);
  const artifact: IntentModelArtifact = {
    ...fitted.artifact,
    heldOut: { accuracy: Number(metrics.accuracy.toFixed(4)), rows: heldOut.length },
  };
  const json = formatArtifact(artifact);

  const classifier = singleVersionClassifier(model, options.languages);
  const outcomes = heldOut.map((example) => ({
    example,
    truth: example.intent,
    result: classifier.classifyWith(model.version, example.text),
  }));
  const misrouted = outcomes
    .filter(({ truth, result }) => result.decision === 'route' && result.intent !== truth)
    .map(({ example, result }) => ({
      text: example.text,
      truth: example.intent,
      predicted: result.intent,
      confidence: result.confidence,
      margin: result.margin,
    }));

  return {
    artifact,
    json,
    evaluation: {
      spec,
      datasetRows: dataset.examples.length,
      trainRows: train.length,
      heldOutRows: heldOut.length,
      featureCount: model.featureCount,
      thresholds: fitted.thresholds,
      metrics,
      decisions: decisionStats(outcomes),
      decisionsByLanguage: ['en', 'es'].map((lang) => ({
        lang,
        stats: decisionStats(outcomes.filter(({ example }) => example.lang === lang)),
      })),
      misrouted,
      latency:
        options.latencyCalls > 0
          ? measureLatency(
              heldOut.map((example) => example.text),
              (text) => classifier.classify(text, { subject: text }),
              options.latencyCalls,
            )
          : null,
      englishOnly: options.englishOnlyStudy ? englishOnlyStudy(train, heldOut, spec, context, options) : null,
    },
  };
}

/** Out-of-fold scores of `examples`: each fold scored by a model trained on the other folds. */
export function outOfFoldScores(
  examples: readonly Example[],
  spec: VersionSpec,
  context: Parameters<typeof trainArtifact>[2],
  folds: number,
): Scored[] {
  const parts = stratifiedFolds(examples, folds, context.seed);
  return parts.flatMap((part, i) => {
    const rest = parts.filter((_, j) => j !== i).flat();
    return scoreExamples(new IntentModel(trainArtifact(rest, spec, context)), part);
  });
}

function fitWithThresholds(
  train: readonly Example[],
  spec: VersionSpec,
  context: Parameters<typeof trainArtifact>[2],
  options: PipelineOptions,
): { artifact: IntentModelArtifact; thresholds: ThresholdChoice } {
  const thresholds = chooseThresholds(outOfFoldScores(train, spec, context, options.folds), options.misrouteCost);
  const artifact = trainArtifact(train, spec, context);
  artifact.thresholds = { confidence: thresholds.chosen.confidence, margin: thresholds.chosen.margin };
  return { artifact, thresholds };
}

function englishOnlyStudy(
  train: readonly Example[],
  heldOut: readonly Example[],
  spec: VersionSpec,
  context: Parameters<typeof trainArtifact>[2],
  options: PipelineOptions,
): EnglishOnlyStudy {
  const english = train.filter((example) => example.lang === 'en');
  const fitted = fitWithThresholds(english, spec, context, options);
  const model = new IntentModel(fitted.artifact);
  const spanish = heldOut.filter((example) => example.lang === 'es');
  const classifier = singleVersionClassifier(model, options.languages);
  // Graded as if Spanish were supported, to see what the thresholds alone catch.
  const outcomes = spanish.map((example) => ({
    truth: example.intent,
    result: classifier.classifyWith(model.version, example.text, 'es'),
  }));
  return {
    spanish: computeMetrics(scoreExamples(model, spanish)),
    spanishDecisions: decisionStats(outcomes),
    english: computeMetrics(
      scoreExamples(
        model,
        heldOut.filter((example) => example.lang === 'en'),
      ),
    ),
    thresholds: fitted.thresholds.chosen,
  };
}

function singleVersionClassifier(model: IntentModel, languages: LanguageDetector): IntentClassifier {
  return new IntentClassifier({
    models: [model],
    split: [{ version: model.version, percent: 100 }],
    salt: 'evaluation',
    languages,
  });
}
