import { LazyAdam, seededRandom, shuffleInPlace } from '@casebook/ml';
import type { SparseRows } from './sparse';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** L2 penalty on the weights (not the biases), applied to the rows a batch touches. */
  l2: number;
  /** Polyak: return the mean of the weights over the last epoch's steps instead of the final ones. */
  averageLastEpoch?: boolean;
  seed: number;
}

export interface HeadWeights {
  /** Bucket-major: bucket i's weights are `weights[i·heads … i·heads + heads − 1]`. */
  weights: Float64Array;
  bias: Float64Array;
}

/**
 * Q22.3: one binary logistic regression per head over shared sparse rows, cross-entropy weighted per
 * row and head (weight 0 = the row is unlabelled for that head), trained with lazy Adam
 * (`@casebook/ml`) on shuffled mini-batches: a step updates only the buckets present in the batch.
 * Single-threaded, seeded, summed in a fixed order: the same rows and seed give the same weights, bit
 * for bit.
 */
export function trainHeads(
  data: SparseRows,
  rows: readonly number[],
  targets: Uint8Array,
  sampleWeights: Float32Array,
  heads: number,
  buckets: number,
  options: TrainOptions,
  featureScale?: Float64Array,
): HeadWeights {
  const { offsets, indexes, values } = data;
  const size = buckets * heads;
  const scale = featureScale ?? new Float64Array(size).fill(1);
  const adam = new LazyAdam(buckets, heads, options);
  const { weights, bias, gradient, gradientBias } = adam;
  const residual = new Float64Array(heads);
  const random = seededRandom(options.seed);
  const order = [...rows];
  const average = options.averageLastEpoch === true;
  // Lazy running sums: weight f has held its current value since step `since[f]`.
  const sum = new Float64Array(average ? size : 0);
  const sumBias = new Float64Array(heads);
  const since = new Int32Array(average ? buckets : 0);
  let windowStart = -1;
  const accumulate = (feature: number, step: number): void => {
    for (let i = feature * heads, last = i + heads; i < last; i += 1) sum[i] += weights[i]! * (step - since[feature]!);
    since[feature] = step;
  };
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    shuffleInPlace(order, random);
    if (average && epoch === options.epochs - 1) {
      windowStart = adam.steps + 1;
      since.fill(windowStart);
    }
    for (let start = 0; start < order.length; start += options.batchSize) {
      const end = Math.min(order.length, start + options.batchSize);
      const share = 1 / (end - start);
      adam.begin();
      for (let b = start; b < end; b += 1) {
        const r = order[b]!;
        residual.set(bias);
        for (let n = offsets[r]!; n < offsets[r + 1]!; n += 1) {
          const base = indexes[n]! * heads;
          for (let h = 0; h < heads; h += 1) residual[h] += values[n]! * scale[base + h]! * weights[base + h]!;
        }
        for (let h = 0; h < heads; h += 1) {
          const p = 1 / (1 + Math.exp(-residual[h]!));
          residual[h] = (p - targets[r * heads + h]!) * sampleWeights[r * heads + h]! * share;
          gradientBias[h] += residual[h]!;
        }
        for (let n = offsets[r]!; n < offsets[r + 1]!; n += 1) {
          const base = adam.touch(indexes[n]!);
          for (let h = 0; h < heads; h += 1) gradient[base + h] += values[n]! * scale[base + h]! * residual[h]!;
        }
      }
      adam.update(windowStart > 0 ? accumulate : undefined);
      if (windowStart > 0) for (let h = 0; h < heads; h += 1) sumBias[h] += bias[h]!;
    }
  }
  if (windowStart > 0) {
    const step = adam.steps;
    const steps = step + 1 - windowStart;
    for (let f = 0; f < buckets; f += 1) {
      for (let i = f * heads, last = i + heads; i < last; i += 1)
        weights[i] = (sum[i]! + weights[i]! * (step + 1 - since[f]!)) / steps;
    }
    for (let h = 0; h < heads; h += 1) bias[h] = sumBias[h]! / steps;
  }
  // What inference multiplies by is the product: the scaling costs nothing at run time.
  for (let i = 0; i < size; i += 1) weights[i] *= scale[i]!;
  return { weights, bias };
}

/**
 * Q22.4: NB-SVM-style scaling (Wang & Manning 2012): each bucket's input is multiplied, per head, by its
 * smoothed log-count ratio between positive and negative training rows, so the regression starts from
 * the naive-Bayes evidence. Computed on the training rows only.
 */
export function logCountRatios(
  data: SparseRows,
  rows: readonly number[],
  targets: Uint8Array,
  sampleWeights: Float32Array,
  heads: number,
  buckets: number,
  alphas: readonly number[],
): Float64Array {
  // One smoothing per block of buckets (shared, then one per language copy), each normalised on its own.
  const block = buckets / alphas.length;
  const positive = new Float64Array(buckets * heads);
  const negative = new Float64Array(buckets * heads);
  alphas.forEach((alpha, b) => {
    positive.fill(alpha, b * block * heads, (b + 1) * block * heads);
    negative.fill(alpha, b * block * heads, (b + 1) * block * heads);
  });
  for (const r of rows) {
    for (let h = 0; h < heads; h += 1) {
      if (sampleWeights[r * heads + h] === 0) continue;
      const counts = targets[r * heads + h] === 1 ? positive : negative;
      for (let n = data.offsets[r]!; n < data.offsets[r + 1]!; n += 1) counts[data.indexes[n]! * heads + h] += 1;
    }
  }
  const out = new Float64Array(buckets * heads);
  for (let b = 0; b < alphas.length; b += 1) {
    for (let h = 0; h < heads; h += 1) {
      let p = 0;
      let q = 0;
      const from = b * block * heads + h;
      const to = (b + 1) * block * heads;
      for (let i = from; i < to; i += heads) {
        p += positive[i]!;
        q += negative[i]!;
      }
      for (let i = from; i < to; i += heads) out[i] = Math.log(positive[i]! / p / (negative[i]! / q));
    }
  }
  return out;
}
