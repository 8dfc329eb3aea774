import { z } from 'zod';
import { INTENTS } from './intents';

const ngramRange = z
  .object({ minN: z.number().int().min(1).max(8), maxN: z.number().int().min(1).max(8) })
  .refine((range) => range.minN <= range.maxN, 'minN must not exceed maxN');

/**
 * Q7.3: a model version is one JSON file: what it was trained on (dataset hash, seed, split), how it turns
 * text into features, its weights, its own thresholds and its held-out figures. A version is never
 * edited: a change is a new file, so the version recorded on a message names exactly what decided it.
 */
export const artifactSchema = z.object({
  format: z.literal('casebook.intent-model/1'),
  version: z.string().regex(/^intent-v\d+$/),
  description: z.string(),
  intents: z.array(z.enum(INTENTS)).min(2),
  features: z.object({ word: ngramRange, char: ngramRange.optional() }),
  /** Route only when top probability ≥ confidence and top − second ≥ margin (Q7.1). */
  thresholds: z.object({ confidence: z.number().min(0).max(1), margin: z.number().min(0).max(1) }),
  training: z.object({
    datasetSha256: z.string().regex(/^[0-9a-f]{64}$/),
    seed: z.number().int(),
    heldOutShare: z.number().gt(0).lt(1),
    trainRows: z.number().int().positive(),
    heldOutRows: z.number().int().nonnegative(),
    epochs: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    learningRate: z.number().positive(),
    l2: z.number().nonnegative(),
    minDocumentFrequency: z.number().int().positive(),
  }),
  /** Held-out accuracy when the artifact was written; the tests recompute it from the file. */
  heldOut: z.object({ accuracy: z.number().min(0).max(1), rows: z.number().int().nonnegative() }),
  bias: z.array(z.number().finite()),
  /** Feature → one weight per intent, in `intents` order. Checked by hand: zod on ~10⁵ numbers doubles the load time. */
  weights: z.custom<Record<string, number[]>>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.values(value).every((row) => Array.isArray(row) && row.every(Number.isFinite)),
    'weights must map each feature to an array of finite numbers',
  ),
});

export type IntentModelArtifact = z.infer<typeof artifactSchema>;

/** Parses and checks an artifact: every weight row as long as the intent list, thresholds in range. */
export function parseArtifact(json: unknown): IntentModelArtifact {
  const artifact = artifactSchema.parse(json);
  const k = artifact.intents.length;
  if (artifact.bias.length !== k)
    throw new Error(`${artifact.version}: bias has ${artifact.bias.length} values, expected ${k}`);
  for (const [feature, row] of Object.entries(artifact.weights)) {
    if (row.length !== k)
      throw new Error(`${artifact.version}: feature '${feature}' has ${row.length} weights, expected ${k}`);
  }
  return artifact;
}
