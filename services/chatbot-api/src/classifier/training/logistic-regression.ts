import { softmax } from '../model';
import type { SparseVector } from './vocabulary';
import { LazyAdam, seededRandom, shuffled } from '@casebook/ml';

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

/**
 * Multinomial logistic regression (softmax over the intents, cross-entropy loss) trained with lazy Adam
 * (`@casebook/ml`) on shuffled mini-batches: each step updates only the rows of the features present in
 * the batch. Everything is seeded and summed in a fixed order, so the same data and seed give the same
 * weights, bit for bit.
 */
export function trainLogisticRegression(
  rows: readonly SparseVector[],
  labels: readonly number[],
  features: number,
  classes: number,
  options: TrainOptions,
): TrainedWeights {
  const adam = new LazyAdam(features, classes, options);
  const { weights, bias, gradient, gradientBias } = adam;
  const logits = new Float64Array(classes);
  const random = seededRandom(options.seed);
  const order = rows.map((_, i) => i);

  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    const epochOrder = shuffled(order, random);
    for (let start = 0; start < epochOrder.length; start += options.batchSize) {
      const batch = epochOrder.slice(start, start + options.batchSize);
      adam.begin();
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
          const offset = adam.touch(indexes[n]!);
          for (let j = 0; j < classes; j += 1) gradient[offset + j] += (values[n]! * logits[j]!) / batch.length;
        }
      }
      adam.update();
    }
  }
  return { weights, bias };
}
