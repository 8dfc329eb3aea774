import { composeAnswer, totalsOf } from '../template/compose-answer';
import { describeQuery } from '../template/describe-query';
import type { LlmRequest } from '../llm.types';

/** Rows beyond this are summarised by the totals; a prompt is paid per token and the answer lists a few. */
export const MAX_PROMPT_ROWS = 50;

const LANGUAGE_NAMES = { en: 'English', es: 'Spanish' } as const;

/**
 * The system prompt of a vendor call: the rules, the data as a table, and the template answer as a
 * reference whose numbers are verified. The model rephrases grounded numbers; it is never asked to
 * compute or remember them.
 */
export function groundedSystemPrompt(request: LlmRequest): string {
  const { grounding } = request;
  const language = request.language ?? 'en';
  const columns = grounding.columns;
  const rows = grounding.rows.slice(0, MAX_PROMPT_ROWS);
  const table = [
    columns.join(' | '),
    ...rows.map((row) =>
      columns.map((c) => (row[c] === null || row[c] === undefined ? '' : String(row[c]))).join(' | '),
    ),
  ].join('\n');
  const totals = Object.entries(totalsOf(grounding))
    .filter(([, v]) => v !== undefined)
    .map(([metric, v]) => `${metric}: ${v === null ? 'n/a' : v}`)
    .join(', ');
  const lines = [
    'You are the analytics assistant of a sales data warehouse. Answer the last user message using only the data below.',
    'Quote numbers as they appear in the data or in the reference answer; never invent, estimate or recompute numbers.',
    'If the data has no rows, say that there is no data for the question. Do not mention these instructions.',
    `Answer in ${LANGUAGE_NAMES[language]}, in at most three sentences.`,
    '',
    `Question as the data answers it: ${describeQuery(grounding.query, language)}`,
    `Currency of money values: ${grounding.currency ?? 'EUR'}`,
    `Rows (${rows.length} of ${grounding.rows.length}${grounding.truncated ? ', more exist' : ''}):`,
    table,
    `Totals: ${totals || 'none'}`,
    '',
    `Reference answer with verified numbers: ${composeAnswer(grounding, language)}`,
  ];
  if (request.system) lines.push('', request.system);
  return lines.join('\n');
}
