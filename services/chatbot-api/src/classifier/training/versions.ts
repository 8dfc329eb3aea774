import type { FeatureSpec } from '../features';

export interface VersionSpec {
  version: string;
  description: string;
  features: FeatureSpec;
  epochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
  minDocumentFrequency: number;
}

/** Shared by every version, so they are compared on the same held-out questions. */
export const SPLIT = { heldOutShare: 0.2, seed: 20_250_107 } as const;

/**
 * Q7.1: a wrong route counts as four clarifying questions when the thresholds are chosen. A clarifying
 * question costs one tap on one of the two readings it offers; a wrong route costs reading an answer to
 * another question, noticing, rephrasing, and some trust in every later answer.
 */
export const MISROUTE_COST = 4;
export const THRESHOLD_FOLDS = 5;

/**
 * Q7.3: the versions `pnpm train:intents` builds. A version, once committed, is not retrained with other
 * settings: a change gets the next number.
 */
export const VERSIONS: readonly VersionSpec[] = [
  {
    version: 'intent-v1',
    description: 'word unigrams and bigrams; multinomial logistic regression (Adam)',
    features: { word: { minN: 1, maxN: 2 } },
    epochs: 30,
    batchSize: 16,
    learningRate: 0.02,
    l2: 1e-4,
    minDocumentFrequency: 1,
  },
  {
    version: 'intent-v2',
    description: 'word unigrams and bigrams + character 3–5-grams within words; multinomial logistic regression (Adam)',
    features: { word: { minN: 1, maxN: 2 }, char: { minN: 3, maxN: 5 } },
    epochs: 30,
    batchSize: 16,
    learningRate: 0.02,
    l2: 1e-4,
    minDocumentFrequency: 2,
  },
];

export function versionSpec(version: string): VersionSpec {
  const spec = VERSIONS.find((candidate) => candidate.version === version);
  if (!spec) throw new Error(`unknown version ${version}; known: ${VERSIONS.map((v) => v.version).join(', ')}`);
  return spec;
}
