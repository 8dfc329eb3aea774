import { z } from 'zod';
import { MODEL_CATEGORIES } from '../types';

export const LANGUAGES = ['en', 'de', 'pt'] as const;
export type Language = (typeof LANGUAGES)[number];

const finite = z.number().finite();
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
/** Logit knots of one category's calibration: `review` maps to score 0.5, `block` to the block threshold. */
const knots = z.object({ review: finite, block: finite }).refine((k) => k.block > k.review, 'block must exceed review');

/**
 * Q22.4: one version is one JSON file, never edited: what it was trained on (data hash, seed, split),
 * how text becomes features, the int8 weights (base64, one table per language, one scale per language
 * and category) and the thresholds.
 */
export const toxicityArtifactSchema = z.object({
  format: z.literal('casebook.toxicity-model/2'),
  version: z.string().regex(/^toxicity-v\d+$/),
  description: z.string(),
  categories: z.array(z.enum(MODEL_CATEGORIES)).min(1),
  features: z.object({
    bits: z.number().int().min(8).max(22),
    wordMaxN: z.number().int().min(1).max(3),
    charMinN: z.number().int().min(2).max(5),
    charMaxN: z.number().int().min(2).max(5),
    charAcrossWords: z.boolean(),
    binary: z.boolean(),
  }),
  /** Language scorer over the word n-grams, buckets masked to `bits` (Q22.3): picks the calibration. */
  language: z.object({
    languages: z.array(z.enum(LANGUAGES)).min(1),
    bits: z.number().int().min(4).max(20),
    bias: z.array(finite),
    scale: z.array(finite),
    weights: base64,
  }),
  /** Per language × category (`l·K + c`, language order of `language.languages`). */
  bias: z.array(finite),
  scale: z.array(finite),
  /**
   * Language-major, then bucket-major int8: language l's bucket i holds bytes `(l·2^bits + i)·K …` in
   * category order. Each table is the shared weights plus that language's own (Q22.3: the language
   * decides which table a text is summed over, so the per-language part costs no lookup).
   */
  weights: base64,
  /** Q28.1: per category, logit knots for the detected language, else `default`. */
  calibration: z.record(z.object({ default: knots, byLanguage: z.record(knots) })),
  thresholds: z.record(z.object({ review: z.number().gt(0).lt(1), block: z.number().gt(0).lt(1) })),
  training: z.record(z.unknown()),
  normaliser: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), note: z.string() }),
});

export type ToxicityArtifact = z.infer<typeof toxicityArtifactSchema>;

export function parseToxicityArtifact(json: unknown): ToxicityArtifact {
  const artifact = toxicityArtifactSchema.parse(json);
  const k = artifact.categories.length * artifact.language.languages.length;
  const where = artifact.version;
  if (artifact.bias.length !== k || artifact.scale.length !== k)
    throw new Error(`${where}: bias/scale must have ${k} values (languages × categories)`);
  if (artifact.features.charMinN > artifact.features.charMaxN) throw new Error(`${where}: charMinN exceeds charMaxN`);
  const lang = artifact.language;
  if (lang.bias.length !== lang.languages.length || lang.scale.length !== lang.languages.length)
    throw new Error(`${where}: language bias/scale must have one value per language`);
  for (const category of artifact.categories) {
    const t = artifact.thresholds[category];
    if (!t || !(t.block > t.review)) throw new Error(`${where}: ${category} needs thresholds with block > review`);
    if (!artifact.calibration[category]) throw new Error(`${where}: ${category} has no calibration`);
  }
  return artifact;
}

/**
 * Rounds to int8 with one scale per column (category) of each of `blocks` equal consecutive blocks
 * (languages); returns base64 and the scales, block-major.
 */
export function quantise(weights: Float64Array, columns: number, blocks = 1): { base64: string; scale: number[] } {
  const scale: number[] = [];
  const size = weights.length / blocks;
  for (let b = 0; b < blocks; b += 1) {
    for (let j = 0; j < columns; j += 1) {
      let max = 0;
      for (let i = b * size + j; i < (b + 1) * size; i += columns) max = Math.max(max, Math.abs(weights[i]!));
      scale.push(max === 0 ? 1 : max / 127);
    }
  }
  const bytes = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i += 1)
    bytes[i] = Math.round(weights[i]! / scale[Math.floor(i / size) * columns + (i % columns)]!);
  return { base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), scale };
}

/** The int8 weights `quantise` wrote, checked for length; `weight = byte · scale[column]`. */
export function decodeInt8(base64Text: string, expected: number, what: string): Int8Array {
  const bytes = Buffer.from(base64Text, 'base64');
  if (bytes.length !== expected) throw new Error(`${what}: ${bytes.length} weights, expected ${expected}`);
  return new Int8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
