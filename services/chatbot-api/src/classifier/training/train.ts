import type { IntentModelArtifact } from '../artifact';
import { INTENTS } from '../intents';
import { IntentModel } from '../model';
import type { Example } from './dataset';
import { trainLogisticRegression } from './logistic-regression';
import type { VersionSpec } from './versions';
import { buildVocabulary, vectorise } from './vocabulary';

/** Weights are written with this many decimals: enough for the argmax, small enough to diff. */
const DECIMALS = 5;

export interface TrainingContext {
  datasetSha256: string;
  seed: number;
  heldOutShare: number;
  heldOutRows: number;
}

/**
 * Trains one version on the given examples and returns its artifact; thresholds and held-out figures
 * are placeholders the caller fills in after evaluating. Weights are rounded before anything is
 * measured, so the figures describe the file, not the floats in memory.
 */
export function trainArtifact(
  examples: readonly Example[],
  spec: VersionSpec,
  context: TrainingContext,
): IntentModelArtifact {
  const texts = examples.map((example) => example.text);
  const vocabulary = buildVocabulary(texts, spec.features, spec.minDocumentFrequency);
  const index = new Map(vocabulary.map((feature, i) => [feature, i]));
  const rows = texts.map((text) => vectorise(text, spec.features, index));
  const labels = examples.map((example) => INTENTS.indexOf(example.intent));
  const k = INTENTS.length;
  const trained = trainLogisticRegression(rows, labels, vocabulary.length, k, {
    epochs: spec.epochs,
    batchSize: spec.batchSize,
    learningRate: spec.learningRate,
    l2: spec.l2,
    seed: context.seed,
  });
  const weights: Record<string, number[]> = {};
  vocabulary.forEach((feature, i) => {
    weights[feature] = Array.from(trained.weights.subarray(i * k, i * k + k), round);
  });
  return {
    format: 'casebook.intent-model/1',
    version: spec.version,
    description: spec.description,
    intents: [...INTENTS],
    features: spec.features,
    thresholds: { confidence: 0, margin: 0 },
    training: {
      datasetSha256: context.datasetSha256,
      seed: context.seed,
      heldOutShare: context.heldOutShare,
      trainRows: examples.length,
      heldOutRows: context.heldOutRows,
      epochs: spec.epochs,
      batchSize: spec.batchSize,
      learningRate: spec.learningRate,
      l2: spec.l2,
      minDocumentFrequency: spec.minDocumentFrequency,
    },
    heldOut: { accuracy: 0, rows: context.heldOutRows },
    bias: Array.from(trained.bias, round),
    weights,
  };
}

export function trainModel(examples: readonly Example[], spec: VersionSpec, context: TrainingContext): IntentModel {
  return new IntentModel(trainArtifact(examples, spec, context));
}

function round(value: number): number {
  const rounded = Number(value.toFixed(DECIMALS));
  return Object.is(rounded, -0) ? 0 : rounded;
}
