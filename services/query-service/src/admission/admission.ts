import type { DataQuery } from '../questions/canonical-query';

/**
 * Q14: should an answer be stored at all? Most are (a cached answer that is never read again costs a
 * little memory until it ages out; a missed hit costs a warehouse query), so the policy starts from
 * "admit" and learns from what it sees which kinds of query are never asked twice.
 */
export const FEATURES = [
  'volatile',
  'unbounded',
  'span',
  'filterValues',
  'productLevel',
  'dayGrain',
  'scoped',
] as const;
export type Feature = (typeof FEATURES)[number];
export type FeatureVector = Record<Feature, number>;

const DAY = 86_400_000;

/**
 * Q14.1: features are properties of the canonical query, known before the warehouse is asked: whether
 * its range reaches into the period still being loaded (answers there change every load), how wide and
 * how specific it is (a 10-product, per-day question is rarely repeated; "revenue by region last month"
 * is asked all the time), and whether the caller is region-scoped (fewer people share the entry).
 */
export function featuresOf(query: DataQuery, scoped: boolean, now: number): FeatureVector {
  const from = query.time ? Date.parse(query.time.from) : null;
  const to = query.time ? Date.parse(query.time.to) : null;
  const values = Object.values(query.filters).reduce((sum, v) => sum + (v?.length ?? 0), 0);
  return {
    volatile: to === null || to > now ? 1 : 0,
    unbounded: from === null ? 1 : 0,
    span: from !== null && to !== null ? Math.min(1, Math.log1p((to - from) / DAY) / Math.log1p(1_100)) : 1,
    filterValues: Math.min(1, values / 10),
    productLevel: query.groupBy.includes('product') || query.filters.product ? 1 : 0,
    dayGrain: query.groupBy.includes('day') ? 1 : 0,
    scoped: scoped ? 1 : 0,
  };
}

/**
 * An online logistic regression: P(an answer is read again before it expires | features). The prior
 * (bias 2, weights 0) admits everything (p ≈ 0.88), so a never-seen kind of query is cached (Q14.2: cold
 * start falls back to the safe default); the weights move only with evidence.
 */
export class AdmissionModel {
  private bias: number;
  private readonly weights: FeatureVector;
  updates = 0;

  constructor(
    private readonly options: { threshold: number; learningRate: number } = { threshold: 0.15, learningRate: 0.05 },
    prior = 2,
  ) {
    this.bias = prior;
    this.weights = Object.fromEntries(FEATURES.map((f) => [f, 0])) as FeatureVector;
  }

  predict(x: FeatureVector): number {
    let z = this.bias;
    for (const f of FEATURES) z += this.weights[f] * x[f];
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * A low threshold on purpose (Q14.3): a false "don't cache" loses every later hit of that answer and
   * sends each repeat to the warehouse, while a false "cache" only holds memory until the TTL.
   */
  admit(x: FeatureVector): boolean {
    return this.predict(x) >= this.options.threshold;
  }

  learn(x: FeatureVector, reused: boolean): void {
    const error = (reused ? 1 : 0) - this.predict(x);
    this.bias += this.options.learningRate * error;
    for (const f of FEATURES) this.weights[f] += this.options.learningRate * error * x[f];
    this.updates += 1;
  }

  snapshot(): { bias: number; weights: FeatureVector; updates: number } {
    return { bias: this.bias, weights: { ...this.weights }, updates: this.updates };
  }
}

interface Seen {
  x: FeatureVector;
  at: number;
  reused: boolean;
}

/**
 * Q14.4: labels come from traffic itself. Every question passes through the service whether or not its
 * answer was cached, so "was it asked again within the TTL?" is observable for admitted and refused
 * answers alike — no exploration traffic and no feedback loop where refused kinds never get labels.
 */
export class AdmissionLearner {
  private readonly seen = new Map<string, Seen>();

  constructor(
    readonly model: AdmissionModel,
    private readonly windowMs: number,
    private readonly maxTracked = 50_000,
  ) {}

  /** Records a request for `key` and returns whether its answer should be stored. */
  observe(key: string, x: FeatureVector, now: number): boolean {
    this.expire(now);
    const previous = this.seen.get(key);
    if (previous && now - previous.at < this.windowMs) {
      if (!previous.reused) {
        previous.reused = true;
        this.model.learn(previous.x, true);
      }
    } else {
      if (previous) this.seen.delete(key);
      if (this.seen.size >= this.maxTracked) this.seen.delete(this.seen.keys().next().value!);
      this.seen.set(key, { x, at: now, reused: false });
    }
    return this.model.admit(x);
  }

  /** Answers not asked again within the window are negative examples (insertion order = age order). */
  private expire(now: number): void {
    for (const [key, entry] of this.seen) {
      if (now - entry.at < this.windowMs) break;
      if (!entry.reused) this.model.learn(entry.x, false);
      this.seen.delete(key);
    }
  }
}
