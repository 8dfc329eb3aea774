import type { IntentRow } from './intents.repository';

/** The catalog `pnpm start` seeds; the classifier (Q7.x) routes to these names. */
export const INTENT_CATALOG: IntentRow[] = [
  { name: 'sales_summary', description: 'Totals of a sales metric for a period, region or segment.', lane: 'short' },
  { name: 'revenue_trend', description: 'How a metric moved over time.', lane: 'short' },
  { name: 'top_products', description: 'Best or worst products by a metric.', lane: 'short' },
  { name: 'segment_breakdown', description: 'A metric split by customer segment, category or region.', lane: 'short' },
  { name: 'compare_periods', description: 'One period against another.', lane: 'short' },
  { name: 'smalltalk', description: 'Greetings and chit-chat; answered without data.', lane: 'short' },
  { name: 'help', description: 'What the assistant can do and how to ask.', lane: 'short' },
  { name: 'out_of_scope', description: 'Questions the assistant does not answer; it says so.', lane: 'short' },
  {
    name: 'open_analysis',
    description: 'Free-form analysis written by an LLM; can take tens of seconds.',
    lane: 'long',
  },
];
