import type { IntentModelArtifact } from './artifact';
import { extractFeatures, type FeatureSpec, groupValue } from './features';
import type { Intent } from './intents';

export interface Prediction {
  /** Probability per intent, in `model.intents` order. */
  probabilities: Float64Array;
  /** How many of the message's features the model has weights for; 0 means it recognised nothing. */
  knownFeatures: number;
  /** The same for word n-grams alone: 0 means not one word of the message was seen in training. */
  knownWordFeatures: number;
}

/**
 * A loaded model version: multinomial logistic regression over sparse n-gram features. Weights sit in
 * one flat array with a row offset per feature, so a prediction is a few hundred map lookups and
 * multiply-adds (Q7.2: microseconds, not a network hop to a model server).
 */
export class IntentModel {
  readonly version: string;
  readonly intents: readonly Intent[];
  readonly features: FeatureSpec;
  readonly thresholds: Readonly<{ confidence: number; margin: number }>;
  private readonly rows = new Map<string, number>();
  private readonly weights: Float64Array;
  private readonly bias: Float64Array;

  constructor(artifact: IntentModelArtifact) {
    this.version = artifact.version;
    this.intents = artifact.intents;
    this.features = artifact.features;
    this.thresholds = { ...artifact.thresholds };
    const k = artifact.intents.length;
    const entries = Object.entries(artifact.weights);
    this.weights = new Float64Array(entries.length * k);
    entries.forEach(([feature, row], i) => {
      this.rows.set(feature, i * k);
      this.weights.set(row, i * k);
    });
    this.bias = Float64Array.from(artifact.bias);
  }

  get featureCount(): number {
    return this.rows.size;
  }

  predict(text: string): Prediction {
    const k = this.intents.length;
    const logits = Float64Array.from(this.bias);
    let knownFeatures = 0;
    let knownWordFeatures = 0;
    extractFeatures(text, this.features).forEach((group, g) => {
      const value = groupValue(group.length);
      for (const feature of group) {
        const offset = this.rows.get(feature);
        if (offset === undefined) continue;
        knownFeatures += 1;
        if (g === 0) knownWordFeatures += 1;
        for (let j = 0; j < k; j += 1) logits[j] += value * this.weights[offset + j];
      }
    });
    return { probabilities: softmax(logits), knownFeatures, knownWordFeatures };
  }
}

/** In place; shifted by the maximum so large logits never overflow. */
export function softmax(logits: Float64Array): Float64Array {
  let max = -Infinity;
  for (const value of logits) if (value > max) max = value;
  let sum = 0;
  for (let j = 0; j < logits.length; j += 1) {
    logits[j] = Math.exp(logits[j] - max);
    sum += logits[j];
  }
  for (let j = 0; j < logits.length; j += 1) logits[j] /= sum;
  return logits;
}
