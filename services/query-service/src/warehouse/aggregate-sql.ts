import { type DataQuery, type GroupKey, isTimeGrain, type TimeGrain } from '../questions/canonical-query';
import { type Dimension, IDS } from './catalog';
import { type Sql, sql } from '@casebook/platform';

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

// SQL is assembled with the sql tag only from the constant fragments below, chosen by enum values;
// every value the caller supplies is a bound parameter.
const DIMENSION_SQL: Record<Dimension, { column: Sql; label: Sql; join: Sql; filter: (ids: unknown[]) => Sql }> = {
  category: {
    column: sql`f.category_id`,
    label: sql`dc.code`,
    join: sql` JOIN warehouse.dim_categories dc ON dc.category_id = g.category_id`,
    filter: (ids) => sql`f.category_id = ANY(${ids}::smallint[])`,
  },
  product: {
    column: sql`f.product_id`,
    label: sql`dp.sku`,
    join: sql` JOIN warehouse.dim_products dp ON dp.product_id = g.product_id`,
    filter: (ids) => sql`f.product_id = ANY(${ids}::int[])`,
  },
  region: {
    column: sql`f.region_id`,
    label: sql`dr.code`,
    join: sql` JOIN warehouse.dim_regions dr ON dr.region_id = g.region_id`,
    filter: (ids) => sql`f.region_id = ANY(${ids}::smallint[])`,
  },
  segment: {
    column: sql`f.segment_id`,
    label: sql`ds.code`,
    join: sql` JOIN warehouse.dim_segments ds ON ds.segment_id = g.segment_id`,
    filter: (ids) => sql`f.segment_id = ANY(${ids}::smallint[])`,
  },
};

// Buckets are truncated in the asker's zone (a parameter), then labelled; labels sort in time order.
const GRAIN_SQL: Record<TimeGrain, { trunc: (zone: string) => Sql; label: Sql }> = {
  day: {
    trunc: (zone) => sql`date_trunc('day', f.sold_at AT TIME ZONE ${zone})`,
    label: sql`to_char(g.bucket, 'YYYY-MM-DD')`,
  },
  week: {
    trunc: (zone) => sql`date_trunc('week', f.sold_at AT TIME ZONE ${zone})`,
    label: sql`to_char(g.bucket, 'IYYY-"W"IW')`,
  },
  month: {
    trunc: (zone) => sql`date_trunc('month', f.sold_at AT TIME ZONE ${zone})`,
    label: sql`to_char(g.bucket, 'YYYY-MM')`,
  },
  quarter: {
    trunc: (zone) => sql`date_trunc('quarter', f.sold_at AT TIME ZONE ${zone})`,
    label: sql`to_char(g.bucket, 'YYYY-"Q"Q')`,
  },
  year: {
    trunc: (zone) => sql`date_trunc('year', f.sold_at AT TIME ZONE ${zone})`,
    label: sql`to_char(g.bucket, 'YYYY')`,
  },
};

const MEASURES = sql`sum(f.units) AS units, sum(f.revenue) AS revenue, sum(f.cost) AS cost, count(*) AS orders`;
const OUTER_MEASURES = sql`coalesce(g.units, 0)::bigint AS units, round(coalesce(g.revenue, 0) * 100)::bigint AS revenue_cents,
  round(coalesce(g.cost, 0) * 100)::bigint AS cost_cents, g.orders::bigint AS orders`;

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
export function buildAggregate(query: DataQuery, fingerprint: string, page: Keyset): Sql {
  const selected: Sql[] = [];
  // The bucket is grouped by its output name: its expression holds a parameter, and a second copy of the
  // expression would be a different parameter, so Postgres could not tell they are the same.
  const grouped: Sql[] = [];
  const outerLabels: Sql[] = [];
  const joins: Sql[] = [];
  for (const key of query.groupBy) {
    if (isTimeGrain(key)) {
      const grain = GRAIN_SQL[key];
      selected.push(sql`${grain.trunc(query.timeZone ?? 'UTC')} AS bucket`);
      grouped.push(sql`bucket`);
      outerLabels.push(grain.label);
    } else {
      const dim = DIMENSION_SQL[key];
      selected.push(dim.column);
      grouped.push(dim.column);
      outerLabels.push(dim.label);
      joins.push(dim.join);
    }
  }

  const where: Sql[] = [];
  if (query.time) {
    where.push(sql`f.sold_at >= ${query.time.from}::timestamptz`);
    where.push(sql`f.sold_at < ${query.time.to}::timestamptz`);
  }
  for (const dimension of Object.keys(query.filters).sort() as Dimension[]) {
    const ids = (query.filters[dimension] ?? []).map((code) => IDS[dimension].get(code));
    if (ids.some((id) => id === undefined)) throw new Error(`unknown ${dimension} member in a canonical query`);
    where.push(DIMENSION_SQL[dimension].filter(ids));
  }

  const inner = sql`SELECT ${sql.join([...selected, MEASURES])} FROM warehouse.fact_sales f${
    where.length > 0 ? sql` WHERE ${sql.join(where, ' AND ')}` : sql.empty
  }${grouped.length > 0 ? sql` GROUP BY ${sql.join(grouped)}` : sql.empty}`;

  // Byte order ("C"), the same order the service sorts merged rows in, whatever the database locale.
  const collated = outerLabels.map((label) => sql`(${label}) COLLATE "C"`);
  const names = outerLabels.map((_, i) => sql.ident('k' + i));
  const labels = collated.map((label, i) => sql`${label} AS ${names[i]!}`);
  const keyset =
    page.after && collated.length > 0
      ? sql` WHERE (${sql.join(collated)}) > (${sql.join(page.after.map((v) => sql`${v}::text`))})`
      : sql.empty;
  const order = names.length > 0 ? sql` ORDER BY ${sql.join(names)}` : sql.empty;
  return sql`WITH logged AS (INSERT INTO warehouse.query_log (dataset, fingerprint) VALUES (${query.dataset}, ${fingerprint})
               RETURNING query_id),
              g AS (${inner})
         SELECT ${sql.join([...labels, OUTER_MEASURES])} FROM g${sql.join(joins, ' ')}${keyset}${order} LIMIT ${page.limit}`;
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
