import { DATASET, type Dimension, DIMENSIONS } from '../warehouse/catalog';

export const METRICS = ['average_order_value', 'cost', 'margin', 'orders', 'profit', 'revenue', 'units'] as const;
export type Metric = (typeof METRICS)[number];

export const TIME_GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type TimeGrain = (typeof TIME_GRAINS)[number];

export type GroupKey = Dimension | TimeGrain;
export const GROUP_KEYS: readonly GroupKey[] = [...DIMENSIONS, ...TIME_GRAINS].sort();

export type Filters = Partial<Record<Dimension, string[]>>;

/** `[from, to)` as ISO-8601 UTC instants. */
export interface TimeRange {
  from: string;
  to: string;
}

/**
 * Q11.1, Q11.2: the one representation every phrasing of a question turns into. Arrays are sorted and
 * de-duplicated, filter keys are sorted, time is absolute and half-open in UTC, so equal questions are
 * equal values (and equal JSON, and equal keys).
 */
export interface CanonicalQuery {
  dataset: typeof DATASET;
  metrics: Metric[];
  groupBy: GroupKey[];
  filters: Filters;
  time: TimeRange | null;
  /** IANA zone the question was asked in; it only changes the answer through time buckets. */
  timeZone: string;
  /** Presentation: the n largest groups by a metric ("top 5 products by revenue"). */
  top?: { metric: Metric; n: number };
}

/** What the warehouse computes for a query: the cache key material (no metrics, no presentation). */
export interface DataQuery {
  dataset: typeof DATASET;
  groupBy: GroupKey[];
  filters: Filters;
  time: TimeRange | null;
  /** Only when grouping by a time grain; otherwise two zones asking for the same instants share an entry. */
  timeZone: string | null;
}

export function isTimeGrain(key: GroupKey): key is TimeGrain {
  return (TIME_GRAINS as readonly string[]).includes(key);
}

export function timeGrainOf(query: Pick<CanonicalQuery, 'groupBy'>): TimeGrain | null {
  return (query.groupBy.find(isTimeGrain) as TimeGrain | undefined) ?? null;
}

const sortedUnique = <T extends string>(values: Iterable<T>): T[] => [...new Set(values)].sort();

/** Sorts and de-duplicates everything whose order carries no meaning. */
export function normalise(query: CanonicalQuery): CanonicalQuery {
  const filters: Filters = {};
  for (const dimension of [...DIMENSIONS].sort()) {
    const values = query.filters[dimension];
    if (values && values.length > 0) filters[dimension] = sortedUnique(values);
  }
  const out: CanonicalQuery = {
    dataset: query.dataset,
    metrics: sortedUnique(query.metrics),
    groupBy: sortedUnique(query.groupBy),
    filters,
    time: query.time ? { from: iso(query.time.from), to: iso(query.time.to) } : null,
    timeZone: query.timeZone,
  };
  if (query.top) out.top = { metric: query.top.metric, n: query.top.n };
  return out;
}

function iso(value: string): string {
  return new Date(value).toISOString();
}

/** The part of a canonical query that decides which rows the warehouse returns. */
export function dataQueryOf(query: CanonicalQuery): DataQuery {
  return {
    dataset: query.dataset,
    groupBy: query.groupBy,
    filters: query.filters,
    time: query.time,
    timeZone: timeGrainOf(query) ? query.timeZone : null,
  };
}
