/**
 * Q7.2: the cost of a classification is bounded by the input, so the input is bounded. A question longer
 * than this is still classified, on its first characters.
 */
export const MAX_CLASSIFIED_CHARS = 512;

/** Lower case, accents folded ("período" → "periodo", "cuánto" → "cuanto"): typed with or without them, one feature. */
export function normalise(text: string): string {
  return text.slice(0, MAX_CLASSIFIED_CHARS).normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Words of a normalised text. Digit runs become `0`, so "Q1 2024" and "Q3 2023" are the same words to the
 * model: periods and SKUs matter to the query, not to the intent.
 */
export function tokenise(normalised: string): string[] {
  const words = normalised.match(/[\p{L}\p{N}]+/gu);
  if (!words) return [];
  return words.map((word) => word.replace(/\p{N}+/gu, '0'));
}
