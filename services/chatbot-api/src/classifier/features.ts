import { normalise, tokenise } from './text';

/**
 * Which n-grams a model version uses. Word n-grams carry the phrasing ("compare … with", "top 10");
 * character n-grams inside words (3–5 characters, padded with spaces) make typos and inflections
 * ("revnue", "ingresos"/"ingreso") land near the right features.
 */
export interface FeatureSpec {
  word: { minN: number; maxN: number };
  char?: { minN: number; maxN: number };
}

/** Unique features of one text, per group (words first, then characters when the spec has them). */
export type FeatureGroups = string[][];

const START = '<s>';

export function extractFeatures(text: string, spec: FeatureSpec): FeatureGroups {
  const words = tokenise(normalise(text));
  const groups: FeatureGroups = [wordNgrams(words, spec.word.minN, spec.word.maxN)];
  if (spec.char) groups.push(charNgrams(words, spec.char.minN, spec.char.maxN));
  return groups;
}

function wordNgrams(words: string[], minN: number, maxN: number): string[] {
  const out = new Set<string>();
  // A start marker lets "hola …" / "help …" at the start of a message count as a bigram of its own.
  const padded = [START, ...words];
  for (let n = minN; n <= maxN; n += 1) {
    for (let i = n === 1 ? 1 : 0; i + n <= padded.length; i += 1) {
      out.add(`w${n}:${padded.slice(i, i + n).join(' ')}`);
    }
  }
  return [...out];
}

function charNgrams(words: string[], minN: number, maxN: number): string[] {
  const out = new Set<string>();
  for (const word of words) {
    const padded = ` ${word} `;
    for (let n = minN; n <= maxN; n += 1) {
      for (let i = 0; i + n <= padded.length; i += 1) out.add(`c:${padded.slice(i, i + n)}`);
    }
  }
  return [...out];
}

/**
 * The value of each feature of a group: 1/√(features extracted in the group), so each group has unit
 * length. The denominator counts unknown features too: a message made of words the model never saw
 * gets small activations and a flat, low-confidence distribution instead of one known trigram
 * blown up to full weight (that is what sends gibberish to a clarifying question).
 */
export function groupValue(groupSize: number): number {
  return groupSize === 0 ? 0 : 1 / Math.sqrt(groupSize);
}
