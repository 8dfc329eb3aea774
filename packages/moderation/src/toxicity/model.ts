import type { CategoryScores, ModelCategory } from '../types';
import { decodeInt8, parseToxicityArtifact, type Language, type ToxicityArtifact } from './artifact';
import { FeatureExtractor, groupScale } from './features';

interface Knots {
  review: number;
  block: number;
}

export interface Thresholds {
  review: number;
  block: number;
}

const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * Q28.1: maps a raw logit to the calibrated score the thresholds are written for: the language's
 * review knot lands on 0.5 and its block knot on the category's block threshold; piecewise linear in
 * logit space, so the order of scores within a language is kept.
 */
export function calibrate(z: number, knots: Knots, blockLogit: number): number {
  const c = z <= knots.review ? z - knots.review : ((z - knots.review) * blockLogit) / (knots.block - knots.review);
  return 1 / (1 + Math.exp(-c));
}

/**
 * Q22.1–Q22.4: logistic regression per category over hashed n-grams of the folded text, with one
 * weight table per language (shared weights plus the language's own, summed at training time), and a
 * small language scorer that picks the table and the per-language calibration (the language is not
 * known at run time).
 */
export class ToxicityModel {
  readonly version: string;
  readonly categories: readonly ModelCategory[];
  readonly thresholds: Readonly<Record<string, Thresholds>>;
  readonly languages: readonly Language[];
  private readonly extractor: FeatureExtractor;
  /** Q22.4: int8 as shipped (a quarter of Float32: one language's table stays in cache); scales applied per sum. */
  private readonly weights: Int8Array;
  private readonly tableSize: number;
  private readonly scale: Float64Array;
  private readonly bias: Float64Array;
  private readonly langWeights: Int8Array;
  private readonly langScale: Float64Array;
  private readonly langBias: Float64Array;
  private readonly langMask: number;
  /** `knots[c * languages + l]`; the category's default when the language had no labels for it. */
  private readonly knots: Knots[];
  private readonly blockLogits: Float64Array;
  private readonly sums: Float64Array;
  private readonly langSums: Float64Array;

  private constructor(artifact: ToxicityArtifact) {
    this.version = artifact.version;
    this.categories = Object.freeze([...artifact.categories]);
    this.languages = Object.freeze([...artifact.language.languages]);
    const thresholds: Record<string, Thresholds> = {};
    for (const c of artifact.categories) thresholds[c] = Object.freeze({ ...artifact.thresholds[c]! });
    this.thresholds = Object.freeze(thresholds);
    const k = this.categories.length;
    this.extractor = new FeatureExtractor({ ...artifact.features });
    this.tableSize = (1 << artifact.features.bits) * k;
    this.weights = decodeInt8(artifact.weights, this.tableSize * this.languages.length, this.version);
    this.scale = Float64Array.from(artifact.scale);
    this.bias = Float64Array.from(artifact.bias);
    const lang = artifact.language;
    this.langWeights = decodeInt8(lang.weights, (1 << lang.bits) * lang.languages.length, `${this.version} language`);
    this.langScale = Float64Array.from(lang.scale);
    this.langBias = Float64Array.from(lang.bias);
    this.langMask = (1 << lang.bits) - 1;
    this.knots = [];
    for (const c of this.categories) {
      const calibration = artifact.calibration[c]!;
      for (const l of this.languages) this.knots.push(calibration.byLanguage[l] ?? calibration.default);
    }
    this.blockLogits = Float64Array.from(this.categories, (c) => logit(artifact.thresholds[c]!.block));
    this.sums = new Float64Array(k);
    this.langSums = new Float64Array(this.languages.length);
  }

  /** Validates the JSON (schema, lengths, knots) before any weight is decoded. */
  static fromArtifact(json: unknown): ToxicityModel {
    return new ToxicityModel(parseToxicityArtifact(json));
  }

  /** Pure: the same folded text always gives the same scores (buffers are reused, never shared state). */
  score(foldedText: string): CategoryScores {
    const language = this.rawScores(foldedText);
    const scores: CategoryScores = {};
    const l = this.languages.length;
    for (let c = 0; c < this.categories.length; c += 1) {
      scores[this.categories[c]!] = calibrate(this.sums[c]!, this.knots[c * l + language]!, this.blockLogits[c]!);
    }
    return scores;
  }

  /** Uncalibrated logits into `out` (category order); returns the detected language's index. For training and evaluation. */
  logits(foldedText: string, out: Float64Array): number {
    const language = this.rawScores(foldedText);
    out.set(this.sums);
    return language;
  }

  private rawScores(text: string): number {
    const ex = this.extractor;
    ex.extract(text);
    const indexes = ex.indexes;
    const chars = ex.charCount;
    const end = chars + ex.wordCount;
    const wordScale = groupScale(ex.wordCount);
    const language = this.detect(indexes, chars, end, wordScale);
    const k = this.categories.length;
    const sums = this.sums;
    sums.fill(0);
    const offset = language * this.tableSize;
    accumulate(this.weights, offset, k, indexes, 0, chars, sums, groupScale(chars));
    accumulate(this.weights, offset, k, indexes, chars, end, sums, wordScale);
    for (let j = 0; j < k; j += 1) sums[j] = sums[j]! * this.scale[language * k + j]! + this.bias[language * k + j]!;
    return language;
  }

  /** Q22.3: the language scorer over the word n-grams (buckets masked to its own, smaller table). */
  private detect(indexes: Int32Array, from: number, to: number, wordScale: number): number {
    const langSums = this.langSums;
    langSums.fill(0);
    const lw = this.langWeights;
    const lk = this.languages.length;
    const mask = this.langMask;
    for (let n = from; n < to; n += 1) {
      const base = (indexes[n]! & mask) * lk;
      for (let j = 0; j < lk; j += 1) langSums[j] += lw[base + j]!;
    }
    let best = 0;
    for (let j = 0; j < lk; j += 1) {
      langSums[j] = langSums[j]! * wordScale * this.langScale[j]! + this.langBias[j]!;
      if (langSums[j]! > langSums[best]!) best = j;
    }
    return best;
  }
}

/**
 * Adds `factor ·` the int8 weights of `indexes[from … to)` into `sums`. Q22.4: one pass over the n-grams with the categories of a bucket
 * side by side (4 bytes, one cache line), unrolled for the usual 4 categories.
 */
function accumulate(
  w: Int8Array,
  offset: number,
  k: number,
  indexes: Int32Array,
  from: number,
  to: number,
  sums: Float64Array,
  factor: number,
): void {
  if (k === 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let n = from; n < to; n += 1) {
      const base = offset + (indexes[n]! << 2);
      s0 += w[base]!;
      s1 += w[base + 1]!;
      s2 += w[base + 2]!;
      s3 += w[base + 3]!;
    }
    sums[0] += s0 * factor;
    sums[1] += s1 * factor;
    sums[2] += s2 * factor;
    sums[3] += s3 * factor;
    return;
  }
  for (let n = from; n < to; n += 1) {
    const base = offset + indexes[n]! * k;
    for (let j = 0; j < k; j += 1) sums[j] += w[base + j]! * factor;
  }
}
