import type { ClassificationResult } from '../intent-classifier';
import { INTENTS, type Intent } from '../intents';
import type { IntentModel } from '../model';
import type { Example } from './dataset';

/** One example as the model saw it. */
export interface Scored {
  example: Example;
  predicted: Intent;
  confidence: number;
  margin: number;
  knownFeatures: number;
}

export function scoreExamples(model: IntentModel, examples: readonly Example[]): Scored[] {
  return examples.map((example) => {
    const { probabilities, knownFeatures } = model.predict(example.text);
    const order = [...probabilities.keys()].sort((a, b) => probabilities[b]! - probabilities[a]! || a - b);
    const [top, second] = [order[0]!, order[1]!];
    return {
      example,
      predicted: model.intents[top]!,
      confidence: probabilities[top]!,
      margin: probabilities[top]! - probabilities[second]!,
      knownFeatures,
    };
  });
}

export interface IntentMetrics {
  intent: Intent;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Metrics {
  total: number;
  correct: number;
  accuracy: number;
  macroF1: number;
  perIntent: IntentMetrics[];
  perLanguage: Array<{ lang: string; total: number; accuracy: number }>;
  /** `confusion[t][p]`: examples of intent t predicted as p, in `INTENTS` order. */
  confusion: number[][];
}

/** Accuracy, per-intent precision/recall/F1 and the confusion matrix of the argmax (no thresholds). */
export function computeMetrics(scored: readonly Scored[]): Metrics {
  const confusion = INTENTS.map(() => INTENTS.map(() => 0));
  for (const s of scored) confusion[INTENTS.indexOf(s.example.intent)]![INTENTS.indexOf(s.predicted)]! += 1;
  const perIntent = INTENTS.map((intent, i) => {
    const truePositives = confusion[i]![i]!;
    const predicted = confusion.reduce((sum, row) => sum + row[i]!, 0);
    const support = confusion[i]!.reduce((sum, n) => sum + n, 0);
    const precision = predicted === 0 ? 0 : truePositives / predicted;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { intent, precision, recall, f1, support };
  });
  const correct = scored.filter((s) => s.predicted === s.example.intent).length;
  const languages = [...new Set(scored.map((s) => s.example.lang))].sort();
  return {
    total: scored.length,
    correct,
    accuracy: scored.length === 0 ? 0 : correct / scored.length,
    macroF1: perIntent.reduce((sum, m) => sum + m.f1, 0) / perIntent.length,
    perIntent,
    perLanguage: languages.map((lang) => {
      const rows = scored.filter((s) => s.example.lang === lang);
      return {
        lang,
        total: rows.length,
        accuracy: rows.filter((s) => s.predicted === s.example.intent).length / rows.length,
      };
    }),
    confusion,
  };
}

export interface DecisionStats {
  total: number;
  routed: number;
  routedCorrect: number;
  /** Routed to the wrong intent: the failure the thresholds exist to avoid. */
  misrouted: number;
  clarified: number;
  /** Clarified although the top intent was right: the price paid in extra turns. */
  clarifiedButRight: number;
  coverage: number;
  routedAccuracy: number;
  misrouteRate: number;
}

export function decisionStats(outcomes: ReadonlyArray<{ truth: Intent; result: ClassificationResult }>): DecisionStats {
  let routed = 0;
  let routedCorrect = 0;
  let clarifiedButRight = 0;
  for (const { truth, result } of outcomes) {
    const right = result.intent === truth;
    if (result.decision === 'route') {
      routed += 1;
      if (right) routedCorrect += 1;
    } else if (right) {
      clarifiedButRight += 1;
    }
  }
  const total = outcomes.length;
  return {
    total,
    routed,
    routedCorrect,
    misrouted: routed - routedCorrect,
    clarified: total - routed,
    clarifiedButRight,
    coverage: total === 0 ? 0 : routed / total,
    routedAccuracy: routed === 0 ? 1 : routedCorrect / routed,
    misrouteRate: total === 0 ? 0 : (routed - routedCorrect) / total,
  };
}

export interface Latency {
  calls: number;
  runs: number;
  /** Median over the runs of each run's median / p99, with the lowest and highest run. */
  medianUs: number;
  p99Us: number;
  medianRangeUs: [number, number];
  p99RangeUs: [number, number];
}

/**
 * Times `classify` one call at a time over the texts, round after round, after a warm-up (JIT), in
 * `runs` runs of `calls` calls. Each call is timed on its own with the monotonic clock, so the median
 * and p99 are per question; the median of the runs damps a neighbour's burst on a shared machine.
 */
export function measureLatency(
  texts: readonly string[],
  classify: (text: string) => unknown,
  calls = 20_000,
  runs = 3,
): Latency {
  for (let i = 0; i < Math.min(calls, 2_000); i += 1) classify(texts[i % texts.length]!);
  const medians: number[] = [];
  const p99s: number[] = [];
  const samples = new Float64Array(calls);
  for (let run = 0; run < runs; run += 1) {
    for (let i = 0; i < calls; i += 1) {
      const start = process.hrtime.bigint();
      classify(texts[i % texts.length]!);
      samples[i] = Number(process.hrtime.bigint() - start) / 1_000;
    }
    samples.sort();
    medians.push(samples[Math.floor(0.5 * calls)]!);
    p99s.push(samples[Math.min(calls - 1, Math.floor(0.99 * calls))]!);
  }
  const middle = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return {
    calls,
    runs,
    medianUs: middle(medians),
    p99Us: middle(p99s),
    medianRangeUs: [Math.min(...medians), Math.max(...medians)],
    p99RangeUs: [Math.min(...p99s), Math.max(...p99s)],
  };
}
