import { decodeCursor, encodeCursor, ProblemError } from '@casebook/platform';
import type { CanonicalQuery, Metric } from '../questions/canonical-query';
import type { AggregateRow } from '../warehouse/aggregate-sql';

export type ResultRow = Record<string, string | number | null>;

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/** Derived metrics come from the additive sums after any merge, so ratios are never summed (Q11.3). */
function metricValue(
  metric: Metric,
  units: number,
  revenueCents: number,
  costCents: number,
  orders: number,
): number | null {
  switch (metric) {
    case 'revenue':
      return revenueCents / 100;
    case 'cost':
      return costCents / 100;
    case 'units':
      return units;
    case 'orders':
      return orders;
    case 'profit':
      return (revenueCents - costCents) / 100;
    case 'margin':
      return revenueCents === 0 ? null : round((revenueCents - costCents) / revenueCents, 4);
    case 'average_order_value':
      return orders === 0 ? null : round(revenueCents / orders / 100, 2);
  }
}

export function toResultRow(query: CanonicalQuery, row: AggregateRow): ResultRow {
  const labels = query.groupBy.length;
  const [units, revenueCents, costCents, orders] = row.slice(labels) as number[];
  const out: ResultRow = {};
  query.groupBy.forEach((key, i) => (out[key] = row[i] as string));
  for (const metric of query.metrics) out[metric] = metricValue(metric, units!, revenueCents!, costCents!, orders!);
  return out;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** Keyset position: the labels of the last row returned, opaque to clients. */
export function cursorAfter(cursor: string | undefined): string[] | null {
  if (!cursor) return null;
  const decoded = decodeCursor(cursor, ['k']);
  try {
    const labels: unknown = JSON.parse(String(decoded.k));
    if (Array.isArray(labels) && labels.every((l) => typeof l === 'string')) return labels as string[];
  } catch {
    // fall through
  }
  throw ProblemError.validation([{ field: 'cursor', in: 'body', message: 'cursor is not a cursor this API issued' }]);
}

export function cursorOf(labels: string[]): string {
  return encodeCursor({ k: JSON.stringify(labels) });
}

function compareLabels(a: readonly unknown[], b: readonly string[]): number {
  for (let i = 0; i < b.length; i += 1) {
    const x = a[i] as string;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Q16.2: one page of a cached, label-ordered result, after the cursor's position (binary search; the
 * result is fetched and cached once, pages are slices of it).
 */
export function pageOf(
  rows: AggregateRow[],
  labelCount: number,
  page: PageRequest,
): { rows: AggregateRow[]; nextCursor: string | null } {
  const after = cursorAfter(page.cursor);
  let start = 0;
  if (after) {
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareLabels(rows[mid]!, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const slice = rows.slice(start, start + page.limit);
  const more = start + page.limit < rows.length && labelCount > 0;
  const last = slice[slice.length - 1];
  return { rows: slice, nextCursor: more && last ? cursorOf(last.slice(0, labelCount) as string[]) : null };
}

/** "Top n by metric": the n largest rows, largest first. */
export function topOf(query: CanonicalQuery, rows: ResultRow[]): ResultRow[] {
  if (!query.top) return rows;
  const { metric, n } = query.top;
  return [...rows].sort((a, b) => Number(b[metric] ?? -Infinity) - Number(a[metric] ?? -Infinity)).slice(0, n);
}
