export interface BinaryCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface BinaryMetrics {
  precision: number;
  recall: number;
  /** F1 of the positive (toxic) class. */
  f1: number;
  /** Mean of both classes' F1 (the figure GermEval and ToLD-Br report). */
  macroF1: number;
  support: { positive: number; negative: number };
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const f1Of = (tp: number, fp: number, fn: number): number => ratio(2 * tp, 2 * tp + fp + fn);

export function metricsOf({ tp, fp, tn, fn }: BinaryCounts): BinaryMetrics {
  return {
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1: f1Of(tp, fp, fn),
    macroF1: (f1Of(tp, fp, fn) + f1Of(tn, fn, fp)) / 2,
    support: { positive: tp + fn, negative: tn + fp },
  };
}

export function countAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): BinaryCounts {
  const counts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < scores.length; i += 1) {
    const positive = scores[i]! >= threshold;
    const key = labels[i] === 1 ? (positive ? 'tp' : 'fn') : positive ? 'fp' : 'tn';
    counts[key] += 1;
  }
  return counts;
}

/**
 * The threshold with the best macro-F1 (ties: the lower one), sweeping the sorted scores once:
 * candidates are midpoints between neighbouring distinct scores.
 */
export function bestMacroF1Threshold(
  scores: readonly number[],
  labels: readonly number[],
): { threshold: number; macroF1: number } {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const positives = labels.filter((y) => y === 1).length;
  const negatives = labels.length - positives;
  let tp = 0;
  let fp = 0;
  let best = { threshold: scores.length ? scores[order[0]!]! + 1 : 0, macroF1: -1 };
  for (let k = 0; k < order.length; k += 1) {
    if (labels[order[k]!] === 1) tp += 1;
    else fp += 1;
    const next = k + 1 < order.length ? scores[order[k + 1]!]! : -Infinity;
    if (next === scores[order[k]!]) continue;
    const fn = positives - tp;
    const tn = negatives - fp;
    const macro = (f1Of(tp, fp, fn) + f1Of(tn, fn, fp)) / 2;
    if (macro > best.macroF1) {
      const here = scores[order[k]!]!;
      best = { threshold: Number.isFinite(next) ? (here + next) / 2 : here - 1, macroF1: macro };
    }
  }
  return best;
}
