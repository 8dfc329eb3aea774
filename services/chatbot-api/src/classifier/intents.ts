/** What the classifier can answer with; the catalog in `../intents/intent-catalog.ts` describes each one. */
export const INTENTS = [
  'sales_summary',
  'revenue_trend',
  'top_products',
  'segment_breakdown',
  'compare_periods',
  'smalltalk',
  'help',
  'out_of_scope',
] as const;

export type Intent = (typeof INTENTS)[number];

export function isIntent(value: string): value is Intent {
  return (INTENTS as readonly string[]).includes(value);
}
