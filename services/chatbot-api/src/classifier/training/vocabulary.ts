import { extractFeatures, type FeatureSpec, groupValue } from '../features';

/** A sparse row: feature indexes and their values. */
export interface SparseVector {
  indexes: Int32Array;
  values: Float64Array;
}

/**
 * Features that occur in at least `minDocumentFrequency` training questions, in sorted order. Built on
 * the training rows only: a feature seen only in the held-out split must not exist for the model.
 */
export function buildVocabulary(texts: readonly string[], spec: FeatureSpec, minDocumentFrequency: number): string[] {
  const frequency = new Map<string, number>();
  for (const text of texts) {
    for (const group of extractFeatures(text, spec)) {
      for (const feature of group) frequency.set(feature, (frequency.get(feature) ?? 0) + 1);
    }
  }
  return [...frequency.entries()]
    .filter(([, count]) => count >= minDocumentFrequency)
    .map(([feature]) => feature)
    .sort();
}

/** The same values the runtime model computes (`IntentModel.predict`), as sparse rows. */
export function vectorise(text: string, spec: FeatureSpec, index: ReadonlyMap<string, number>): SparseVector {
  const indexes: number[] = [];
  const values: number[] = [];
  for (const group of extractFeatures(text, spec)) {
    const value = groupValue(group.length);
    for (const feature of group) {
      const i = index.get(feature);
      if (i === undefined) continue;
      indexes.push(i);
      values.push(value);
    }
  }
  return { indexes: Int32Array.from(indexes), values: Float64Array.from(values) };
}
