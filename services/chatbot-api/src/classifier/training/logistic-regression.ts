import { softmax } from '../model';
import type { SparseVector } from './vocabulary';
import { seededRandom, shuffled } from './random';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** L2 penalty on the weights (not the biases). */
  l2: number;
  seed: number;
}

export interface TrainedWeights {
  /** Row-major: feature i's weights are `weights[i * classes … i * classes + classes - 1]`. */
  weights: Float64Array;
  bias: Float64Array;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/**
 * Multinomial logistic regression (softmax over the intents, cross-entropy loss) trained with Adam on
 * shuffled mini-batches. The inputs are sparse, so each step updates only the rows of the features present
 * in the batch ("lazy" Adam, with the L2 term applied to those rows): a step costs the batch's features,
 * not the vocabulary. Everything is seeded and summed in a fixed order, so the same data and seed give
 * the same weights, bit for bit.
 */
export function trainLogisticRegression(
  rows: readonly SparseVector[],
  labels: readonly number[],
  features: number,
  classes: number,
  options: TrainOptions,
): TrainedWeights {
  const weights = new Float64Array(features * classes);
  const bias = new Float64Array(classes);
  const m = new Float64Array(features * classes);
  const v = new Float64Array(features * classes);
  const mBias = new Float64Array(classes);
  const vBias = new Float64Array(classes);
  const gradient = new Float64Array(features * classes);
  const gradientBias = new Float64Array(classes);
  const touched = new Int32Array(features).fill(-1);
  const logits = new Float64Array(classes);
  const random = seededRandom(options.seed);
  const order = rows.map((_, i) => i);
  let step = 0;

  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    const epochOrder = shuffled(order, random);
    for (let start = 0; start < epochOrder.length; start += options.batchSize) {
      const batch = epochOrder.slice(start, start + options.batchSize);
      const active: number[] = [];
      gradientBias.fill(0);
      for (const r of batch) {
        const { indexes, values } = rows[r]!;
        logits.set(bias);
        for (let n = 0; n < indexes.length; n += 1) {
          const offset = indexes[n]! * classes;
          for (let j = 0; j < classes; j += 1) logits[j] += values[n]! * weights[offset + j]!;
        }
        softmax(logits);
        logits[labels[r]!] -= 1; // now ∂loss/∂logit = p − y
        for (let j = 0; j < classes; j += 1) gradientBias[j] += logits[j]! / batch.length;
        for (let n = 0; n < indexes.length; n += 1) {
          const feature = indexes[n]!;
          if (touched[feature] !== step) {
            touched[feature] = step;
            active.push(feature);
            gradient.fill(0, feature * classes, feature * classes + classes);
          }
          const offset = feature * classes;
          for (let j = 0; j < classes; j += 1) gradient[offset + j] += (values[n]! * logits[j]!) / batch.length;
        }
      }
      step += 1;
      const rate1 = options.learningRate / (1 - BETA1 ** step);
      const correction2 = 1 - BETA2 ** step;
      for (const feature of active) {
        for (let i = feature * classes, end = i + classes; i < end; i += 1) {
          adamStep(weights, m, v, i, gradient[i]! + options.l2 * weights[i]!, rate1, correction2);
        }
      }
      for (let j = 0; j < classes; j += 1) adamStep(bias, mBias, vBias, j, gradientBias[j]!, rate1, correction2);
    }
  }
  return { weights, bias };
}

/** One Adam update of parameter i; `rate1` folds the learning rate and the first-moment bias correction. */
function adamStep(
  w: Float64Array,
  m: Float64Array,
  v: Float64Array,
  i: number,
  g: number,
  rate1: number,
  correction2: number,
): void {
  m[i] = BETA1 * m[i]! + (1 - BETA1) * g;
  v[i] = BETA2 * v[i]! + (1 - BETA2) * g * g;
  w[i] -= (rate1 * m[i]!) / (Math.sqrt(v[i]! / correction2) + EPSILON);
}
