import { type DataQuery, type GroupKey, isTimeGrain, type TimeGrain } from '../questions/canonical-query';
import { type Dimension, IDS } from './catalog';

/**
 * One aggregate row as the cache stores it: the group labels in `groupBy` order, then the additive
 * base measures. Money is in integer cents so merged partial results add up exactly (Q11.3).
 */
export type AggregateRow = [
  ...labels: string[],
  units: number,
  revenueCents: number,
  costCents: number,
  orders: number,
];

export const MEASURE_COUNT = 4;

// SQL is assembled only from the constant fragments below, chosen by enum values; every value the
// caller supplies is a bind parameter ($n).
const DIMENSION_SQL: Record<Dimension, { column: string; label: string; join: string }> = {
  category: {
    column: 'f.category_id',
    label: 'dc.code',
    join: ' JOIN warehouse.dim_categories dc ON dc.category_id = g.category_id',
  },
  product: {
    column: 'f.product_id',
    label: 'dp.sku',
    join: ' JOIN warehouse.dim_products dp ON dp.product_id = g.product_id',
  },
  region: {
    column: 'f.region_id',
    label: 'dr.code',
    join: ' JOIN warehouse.dim_regions dr ON dr.region_id = g.region_id',
  },
  segment: {
    column: 'f.segment_id',
    label: 'ds.code',
    join: ' JOIN warehouse.dim_segments ds ON ds.segment_id = g.segment_id',
  },
};

const FILTER_SQL: Record<Dimension, string> = {
  category: 'f.category_id = ANY($N::smallint[])',
  product: 'f.product_id = ANY($N::int[])',
  region: 'f.region_id = ANY($N::smallint[])',
  segment: 'f.segment_id = ANY($N::smallint[])',
};

// Buckets are truncated in the asker's zone (the parameter), then labelled; labels sort in time order.
const GRAIN_SQL: Record<TimeGrain, { trunc: string; label: string }> = {
  day: { trunc: "date_trunc('day', f.sold_at AT TIME ZONE $N)", label: "to_char(g.bucket, 'YYYY-MM-DD')" },
  week: { trunc: "date_trunc('week', f.sold_at AT TIME ZONE $N)", label: 'to_char(g.bucket, \'IYYY-"W"IW\')' },
  month: { trunc: "date_trunc('month', f.sold_at AT TIME ZONE $N)", label: "to_char(g.bucket, 'YYYY-MM')" },
  quarter: { trunc: "date_trunc('quarter', f.sold_at AT TIME ZONE $N)", label: 'to_char(g.bucket, \'YYYY-"Q"Q\')' },
  year: { trunc: "date_trunc('year', f.sold_at AT TIME ZONE $N)", label: "to_char(g.bucket, 'YYYY')" },
};

export interface AggregateSql {
  text: string;
  values: unknown[];
}

export interface Keyset {
  /** Labels of the last row of the previous page, in `groupBy` order. */
  after: string[] | null;
  limit: number;
}

/**
 * Builds the aggregate for a data query. The inner query groups by ids and raw buckets (cheap); the
 * outer one turns them into labels, orders by them and applies the keyset (Q16.2). The first CTE writes
 * one row to `warehouse.query_log`: a data-modifying CTE runs exactly once per statement, so the
 * warehouse itself counts the queries it answered.
 */
export function buildAggregate(query: DataQuery, fingerprint: string, page: Keyset): AggregateSql {
  const values: unknown[] = [];
  const param = (value: unknown): string => '$' + values.push(value);
  const log =
    'WITH logged AS (INSERT INTO warehouse.query_log (dataset, fingerprint) VALUES (' +
    param(query.dataset) +
    ', ' +
    param(fingerprint) +
    ') RETURNING query_id)';

  const innerGroups: string[] = [];
  const outerLabels: string[] = [];
  const joins: string[] = [];
  for (const key of query.groupBy) {
    if (isTimeGrain(key)) {
      const grain = GRAIN_SQL[key];
      innerGroups.push(grain.trunc.replace('$N', param(query.timeZone ?? 'UTC')) + ' AS bucket');
      outerLabels.push(grain.label);
    } else {
      const dim = DIMENSION_SQL[key];
      innerGroups.push(dim.column);
      outerLabels.push(dim.label);
      joins.push(dim.join);
    }
  }

  const where: string[] = [];
  if (query.time) {
    where.push('f.sold_at >= ' + param(query.time.from) + '::timestamptz');
    where.push('f.sold_at < ' + param(query.time.to) + '::timestamptz');
  }
  for (const dimension of Object.keys(query.filters).sort() as Dimension[]) {
    const ids = (query.filters[dimension] ?? []).map((code) => IDS[dimension].get(code));
    if (ids.some((id) => id === undefined)) throw new Error(`unknown ${dimension} member in a canonical query`);
    where.push(FILTER_SQL[dimension].replace('$N', param(ids)));
  }

  const measures = 'sum(f.units) AS units, sum(f.revenue) AS revenue, sum(f.cost) AS cost, count(*) AS orders';
  const inner =
    'SELECT ' +
    [...innerGroups, measures].join(', ') +
    ' FROM warehouse.fact_sales f' +
    (where.length > 0 ? ' WHERE ' + where.join(' AND ') : '') +
    (innerGroups.length > 0 ? ' GROUP BY ' + innerGroups.map((_, i) => String(i + 1)).join(', ') : '');

  const outerMeasures =
    'coalesce(g.units, 0)::bigint AS units, round(coalesce(g.revenue, 0) * 100)::bigint AS revenue_cents, ' +
    'round(coalesce(g.cost, 0) * 100)::bigint AS cost_cents, g.orders::bigint AS orders';
  // Byte order ("C"), the same order the service sorts merged rows in, whatever the database locale.
  const collated = outerLabels.map((label) => '(' + label + ') COLLATE "C"');
  const labels = collated.map((label, i) => label + ' AS k' + i);
  const keyset =
    page.after && collated.length > 0
      ? ' WHERE (' + collated.join(', ') + ') > (' + page.after.map((v) => param(v) + '::text').join(', ') + ')'
      : '';
  const order = outerLabels.length > 0 ? ' ORDER BY ' + outerLabels.map((_, i) => String(i + 1)).join(', ') : '';
  const text =
    log +
    ', g AS (' +
    inner +
    ') SELECT ' +
    [...labels, outerMeasures].join(', ') +
    ' FROM g' +
    joins.join('') +
    keyset +
    order +
    ' LIMIT ' +
    param(page.limit);
  return { text, values };
}

/** Turns pg rows (`k0…kn`, measures as bigint strings) into compact aggregate rows. */
export function toAggregateRows(groupBy: GroupKey[], rows: Record<string, string | number | null>[]): AggregateRow[] {
  return rows.map((row) => [
    ...groupBy.map((_, i) => String(row['k' + i])),
    Number(row.units),
    Number(row.revenue_cents),
    Number(row.cost_cents),
    Number(row.orders),
  ]) as AggregateRow[];
}
