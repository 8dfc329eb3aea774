import { normalise, shippedSnapshot, type ModerationContext } from '@casebook/moderation';

/** The shipped rule sets with the shipped model (compiled once per process). */
export { shippedSnapshot };

/** An EU user's reply on a Monday at noon UTC, so windows and regions are fixed. */
export const EU_OUTPUT: ModerationContext = Object.freeze({
  direction: 'output',
  accountRegion: 'EU',
  now: Date.UTC(2026, 0, 5, 12),
});

/** What is left of a PII value in a text: its letters and digits, with invisible characters and look-alikes undone. */
export function remainsOf(text: string): string {
  const n = normalise(text);
  return [n.literal.text, ...n.decoded.map((d) => d.literal.text)].join(' ').replace(/[^0-9A-Za-z@]/g, '');
}

export function compact(value: string): string {
  return value.replace(/[^0-9A-Za-z@]/g, '');
}

/** Benign sentences around a case, so a stream has text to release before and after it. */
export const PADDING =
  'Revenue in EMEA for Q1 2024 was 12.4 million euros, up 8.3% on the quarter before. ' +
  'Electronics led the categories, followed by home and garden and then apparel. ' +
  'Margins held at 41% overall, and returns stayed below 3% in every category. ';
