const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

export interface LazyAdamOptions {
  learningRate: number;
  /** L2 penalty on the weights (not the biases), applied to the rows a batch touches. */
  l2: number;
}

/**
 * Adam for sparse linear models, "lazy": a step updates only the feature rows present in the batch,
 * so it costs the batch's features, not the vocabulary. `width` parameters per feature row (classes
 * or heads) sit side by side, plus one bias each. Everything runs in a fixed order, so the same
 * gradients give the same weights bit for bit.
 *
 * Per batch: `begin()`, then `touch(feature)` for every feature seen (it returns where the row's
 * gradient starts; add into `gradient` from there) and add into `gradientBias`, then `update()`.
 */
export class LazyAdam {
  readonly weights: Float64Array;
  readonly bias: Float64Array;
  readonly gradient: Float64Array;
  readonly gradientBias: Float64Array;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private readonly mBias: Float64Array;
  private readonly vBias: Float64Array;
  /** The step a feature was last touched in, so a row's gradient is zeroed once per batch. */
  private readonly touched: Int32Array;
  private readonly active: number[] = [];
  private step = 0;

  constructor(
    features: number,
    readonly width: number,
    private readonly options: LazyAdamOptions,
  ) {
    const size = features * width;
    this.weights = new Float64Array(size);
    this.bias = new Float64Array(width);
    this.gradient = new Float64Array(size);
    this.gradientBias = new Float64Array(width);
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
    this.mBias = new Float64Array(width);
    this.vBias = new Float64Array(width);
    this.touched = new Int32Array(features).fill(-1);
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.step;
  }

  begin(): void {
    this.active.length = 0;
    this.gradientBias.fill(0);
  }

  /** Marks `feature` as in this batch (zeroing its gradient row the first time); returns the row's first index. */
  touch(feature: number): number {
    const base = feature * this.width;
    if (this.touched[feature] !== this.step) {
      this.touched[feature] = this.step;
      this.active.push(feature);
      this.gradient.fill(0, base, base + this.width);
    }
    return base;
  }

  /**
   * One Adam step over the touched rows and the biases. `beforeRow(feature, step)` runs before a row
   * changes (with the new step count), e.g. to keep running sums for weight averaging.
   */
  update(beforeRow?: (feature: number, step: number) => void): void {
    this.step += 1;
    const rate1 = this.options.learningRate / (1 - BETA1 ** this.step);
    const correction2 = 1 - BETA2 ** this.step;
    const { weights, gradient, width } = this;
    const l2 = this.options.l2;
    for (const feature of this.active) {
      beforeRow?.(feature, this.step);
      for (let i = feature * width, last = i + width; i < last; i += 1) {
        adamStep(weights, this.m, this.v, i, gradient[i]! + l2 * weights[i]!, rate1, correction2);
      }
    }
    for (let j = 0; j < width; j += 1) {
      adamStep(this.bias, this.mBias, this.vBias, j, this.gradientBias[j]!, rate1, correction2);
    }
  }
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
