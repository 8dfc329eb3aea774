import type { DataQuery, GroupKey } from '../questions/canonical-query';
import type { Dimension } from '../warehouse/catalog';
import { type AggregateRow, MEASURE_COUNT } from '../warehouse/aggregate-sql';

/**
 * Q11.3: an additive query over an IN list (10 products) is the sum of the same query per value. The
 * planner splits it into per-value parts — each exactly the query someone asking about that one value
 * would make, so parts are shared — looks all parts up at once, sends only the missing values to the
 * warehouse in one query, stores each missing part, and merges.
 */
export function splitDimension(query: DataQuery, maxValues: number): Dimension | null {
  let best: Dimension | null = null;
  for (const [dimension, values] of Object.entries(query.filters) as [Dimension, string[]][]) {
    if (values.length > 1 && values.length <= maxValues && values.length > (best ? query.filters[best]!.length : 1)) {
      best = dimension;
    }
  }
  return best;
}

/** The query for one value of the split dimension. */
export function partFor(query: DataQuery, dimension: Dimension, value: string): DataQuery {
  return { ...query, filters: { ...query.filters, [dimension]: [value] } };
}

/** The one warehouse query for the missing values: grouped by the split dimension too, so it can be cut. */
export function queryForMissing(query: DataQuery, dimension: Dimension, missing: string[]): DataQuery {
  return {
    ...query,
    filters: { ...query.filters, [dimension]: [...missing].sort() },
    groupBy: [...new Set<GroupKey>([...query.groupBy, dimension])].sort(),
  };
}

/** Cuts the rows of {@link queryForMissing} into one result per value, shaped like the original query. */
export function cutByValue(
  query: DataQuery,
  dimension: Dimension,
  fetchedGroupBy: GroupKey[],
  rows: AggregateRow[],
  values: string[],
): Map<string, AggregateRow[]> {
  const at = fetchedGroupBy.indexOf(dimension);
  const keep = query.groupBy.includes(dimension);
  const parts = new Map<string, AggregateRow[]>(values.map((v) => [v, []]));
  for (const row of rows) {
    const value = row[at] as string;
    const shaped = keep ? row : ([...row.slice(0, at), ...row.slice(at + 1)] as AggregateRow);
    parts.get(value)?.push(shaped);
  }
  // A value with no sales still has an answer: zero (only when there are no group columns to hold it).
  if (query.groupBy.length === 0) {
    for (const [value, part] of parts) if (part.length === 0) parts.set(value, [[0, 0, 0, 0] as AggregateRow]);
  }
  return parts;
}

/** Sums rows with equal labels (additive measures) and orders them by label. */
export function mergeRows(parts: AggregateRow[][], labelCount: number): AggregateRow[] {
  const merged = new Map<string, AggregateRow>();
  for (const rows of parts) {
    for (const row of rows) {
      const id = JSON.stringify(row.slice(0, labelCount));
      const existing = merged.get(id);
      if (!existing) {
        merged.set(id, [...row] as AggregateRow);
      } else {
        for (let m = 0; m < MEASURE_COUNT; m += 1) {
          (existing[labelCount + m] as number) += row[labelCount + m] as number;
        }
      }
    }
  }
  return sortRows([...merged.values()], labelCount);
}

/** Label order, the same as the warehouse's `ORDER BY … COLLATE "C"`. */
export function sortRows(rows: AggregateRow[], labelCount: number): AggregateRow[] {
  return rows.sort((a, b) => {
    for (let i = 0; i < labelCount; i += 1) {
      const x = a[i] as string;
      const y = b[i] as string;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}
