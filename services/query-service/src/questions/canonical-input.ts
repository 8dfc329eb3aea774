import { type FieldError, ProblemError } from '@casebook/platform';
import { z } from 'zod';
import { DATASET, type Dimension, MEMBERS } from '../warehouse/catalog';
import { type CanonicalQuery, GROUP_KEYS, isTimeGrain, METRICS, normalise } from './canonical-query';
import { canonicalTimeZone } from './time-zone';

const members = z.array(z.string().min(1).max(64)).min(1).max(200).optional();
const instant = z.string().datetime({ offset: true });
const MAX_SPAN_MS = 30 * 366 * 86_400_000;

const schema = z
  .object({
    dataset: z.literal(DATASET).default(DATASET),
    metrics: z.array(z.enum(METRICS)).min(1).max(METRICS.length),
    groupBy: z
      .array(z.enum(GROUP_KEYS as [string, ...string[]]))
      .max(4)
      .default([]),
    filters: z.object({ category: members, product: members, region: members, segment: members }).strict().default({}),
    time: z.object({ from: instant, to: instant }).strict().nullable().default(null),
    timeZone: z.string().min(1).max(64).default('UTC'),
    top: z
      .object({ metric: z.enum(METRICS), n: z.number().int().min(1).max(1_000) })
      .strict()
      .optional(),
  })
  .strict();

/**
 * `{query}` bodies: a caller that already holds a canonical query (the chatbot worker after its own
 * parsing, or a client replaying one) sends it as is. It is validated field by field and normalised,
 * so a hand-written query lands on the same key as the parsed question.
 */
export function canonicalFromInput(input: unknown): CanonicalQuery {
  const parsed = schema.safeParse(input);
  const errors: FieldError[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      errors.push({ field: ['query', ...issue.path].join('.'), in: 'body', message: issue.message });
    }
    throw ProblemError.validation(errors);
  }
  const q = parsed.data;
  for (const [dimension, values] of Object.entries(q.filters) as [Dimension, string[] | undefined][]) {
    values?.forEach((value, i) => {
      if (!MEMBERS[dimension].has(value)) {
        errors.push({
          field: `query.filters.${dimension}.${i}`,
          in: 'body',
          message: `unknown ${dimension} '${value}'`,
        });
      }
    });
  }
  if (q.time && !(Date.parse(q.time.from) < Date.parse(q.time.to))) {
    errors.push({ field: 'query.time', in: 'body', message: 'time.from must be before time.to' });
  } else if (q.time && Date.parse(q.time.to) - Date.parse(q.time.from) > MAX_SPAN_MS) {
    errors.push({ field: 'query.time', in: 'body', message: 'the range may span at most 30 years' });
  }
  if (q.groupBy.filter((key) => isTimeGrain(key as never)).length > 1) {
    errors.push({ field: 'query.groupBy', in: 'body', message: 'group by one time grain at most' });
  }
  const timeZone = canonicalTimeZone(q.timeZone);
  if (!timeZone) errors.push({ field: 'query.timeZone', in: 'body', message: 'not an IANA time zone' });
  if (errors.length > 0) throw ProblemError.validation(errors);
  return normalise({ ...(q as unknown as CanonicalQuery), timeZone: timeZone! });
}
