import { queryRows, sql } from '@casebook/platform';
import type { DataSource } from 'typeorm';
import { CATEGORIES, DATASET, PRODUCT_COUNT, PRODUCTS, REGIONS, SEGMENTS } from './catalog';

export interface LoadOptions {
  rows: number;
  /** Sales are spread evenly over `[from, to)`, in time order (as a real load appends them). */
  from: Date;
  to: Date;
  /** Same rows, range and seed → the same facts, byte for byte. */
  seed?: number;
  /** Rows per INSERT statement (and per transaction for a full load). */
  chunkRows?: number;
  /** `full` replaces the fact table; `incremental` appends (an hourly load). */
  kind: 'full' | 'incremental';
  onProgress?: (loaded: number, total: number) => void;
}

export interface LoadResult {
  batchId: number;
  rows: number;
  dataVersion: number;
  ms: number;
}

/** Writes the dimension members from the catalog; safe to run again. */
export async function ensureDimensions(db: DataSource): Promise<void> {
  await queryRows(
    db,
    sql`INSERT INTO warehouse.dim_regions (region_id, code, name)
     SELECT u.id, u.code, u.name FROM unnest(${REGIONS.map((r) => r.id)}::smallint[], ${REGIONS.map((r) => r.code)}::text[], ${REGIONS.map((r) => r.name)}::text[]) AS u(id, code, name)
     ON CONFLICT (region_id) DO NOTHING`,
  );
  await queryRows(
    db,
    sql`INSERT INTO warehouse.dim_segments (segment_id, code, name)
     SELECT u.id, u.code, u.name FROM unnest(${SEGMENTS.map((s) => s.id)}::smallint[], ${SEGMENTS.map((s) => s.code)}::text[], ${SEGMENTS.map((s) => s.name)}::text[]) AS u(id, code, name)
     ON CONFLICT (segment_id) DO NOTHING`,
  );
  await queryRows(
    db,
    sql`INSERT INTO warehouse.dim_categories (category_id, code, name)
     SELECT u.id, u.code, u.name FROM unnest(${CATEGORIES.map((c) => c.id)}::smallint[], ${CATEGORIES.map((c) => c.code)}::text[], ${CATEGORIES.map((c) => c.name)}::text[]) AS u(id, code, name)
     ON CONFLICT (category_id) DO NOTHING`,
  );
  await queryRows(
    db,
    sql`INSERT INTO warehouse.dim_products (product_id, sku, name, category_id, list_price, unit_cost)
     SELECT u.id, u.sku, u.name, u.category_id, u.list_price, u.unit_cost
       FROM unnest(${PRODUCTS.map((p) => p.id)}::int[], ${PRODUCTS.map((p) => p.sku)}::text[], ${PRODUCTS.map((p) => p.name)}::text[], ${PRODUCTS.map((p) => p.categoryId)}::smallint[], ${PRODUCTS.map((p) => p.listPrice / 100)}::numeric[], ${PRODUCTS.map((p) => p.unitCost / 100)}::numeric[])
            AS u(id, sku, name, category_id, list_price, unit_cost)
     ON CONFLICT (product_id) DO NOTHING`,
  );
}

/** Cumulative weights as `width_bucket` thresholds: [0, w1, w1+w2, …] / total. */
function thresholds(weights: readonly { weight: number }[]): number[] {
  const total = weights.reduce((sum, w) => sum + w.weight, 0);
  let acc = 0;
  return weights.map((w) => {
    const start = acc / total;
    acc += w.weight;
    return start;
  });
}

// One row per series number g. Two 64-bit hashes of (g, seed) give independent 20-bit uniforms:
// a position inside g's time slot, a product (skewed: a few products sell most, as in real catalogs),
// region and segment by weight, units (mostly small), and a discount.
const insertFacts = (p: {
  batchId: number;
  from: Date | string;
  slotMs: number;
  products: number;
  regions: number[];
  segments: number[];
  first: number;
  last: number;
  seed: number;
}) => sql`
  INSERT INTO warehouse.fact_sales (sold_at, product_id, category_id, region_id, segment_id, units, revenue, cost, batch_id)
  SELECT s.sold_at, p.product_id, p.category_id, s.region_id, s.segment_id, s.units,
         round(s.units * p.list_price * (1 - s.discount), 2), round(s.units * p.unit_cost, 2), ${p.batchId}
    FROM (
      SELECT ${p.from}::timestamptz
               + ((g - 1)::float8 + (h.a & 1048575)::float8 / 1048576) * ${p.slotMs}::float8 * interval '1 millisecond' AS sold_at,
             1 + least(${p.products}::int - 1, floor(${p.products}::int * power(((h.a >> 20) & 1048575)::float8 / 1048576, 1.6))::int) AS product_id,
             width_bucket(((h.b) & 1048575)::float8 / 1048576, ${p.regions}::float8[])::smallint AS region_id,
             width_bucket(((h.b >> 20) & 1048575)::float8 / 1048576, ${p.segments}::float8[])::smallint AS segment_id,
             1 + floor(12 * power(((h.b >> 40) & 1048575)::float8 / 1048576, 2))::int AS units,
             (((h.a >> 40) & 1048575) % 21)::numeric / 100 AS discount
        FROM generate_series(${p.first}::bigint, ${p.last}::bigint) AS g
       CROSS JOIN LATERAL (SELECT hashint8extended(g, ${p.seed}::bigint) AS a, hashint8extended(g, ${p.seed}::bigint + 1) AS b) AS h
    ) AS s
    JOIN warehouse.dim_products p ON p.product_id = s.product_id`;

/**
 * The deterministic warehouse generator behind `pnpm warehouse:seed --rows N` and the hourly loads.
 * Every chunk is one INSERT; the fact table's trigger turns each into a data version and a NOTIFY.
 */
export async function loadSales(db: DataSource, options: LoadOptions): Promise<LoadResult> {
  const started = performance.now();
  const { rows, from, to, kind } = options;
  if (!(rows > 0) || !(from.getTime() < to.getTime())) throw new Error('a load needs rows > 0 and from < to');
  const seed = options.seed ?? 20_240_101;
  const chunk = Math.max(1, options.chunkRows ?? 250_000);
  await ensureDimensions(db);
  if (kind === 'full') await queryRows(db, sql`TRUNCATE warehouse.fact_sales`);
  const [{ batch_id: batchId }] = (await queryRows(
    db,
    sql`INSERT INTO warehouse.load_batches (dataset, kind, covers_from, covers_to)
     VALUES (${DATASET}, ${kind}, ${from}, ${to}) RETURNING batch_id::int AS batch_id`,
  )) as { batch_id: number }[];
  const slotMs = (to.getTime() - from.getTime()) / rows;
  // An incremental load of the same span would otherwise repeat the full load's first rows.
  const loadSeed = kind === 'full' ? seed : seed + Math.floor(from.getTime() / 1000);
  for (let first = 1; first <= rows; first += chunk) {
    const last = Math.min(rows, first + chunk - 1);
    await queryRows(
      db,
      insertFacts({
        batchId,
        from,
        slotMs,
        products: PRODUCT_COUNT,
        regions: thresholds(REGIONS),
        segments: thresholds(SEGMENTS),
        first,
        last,
        seed: loadSeed,
      }),
    );
    options.onProgress?.(last, rows);
  }
  await queryRows(
    db,
    sql`UPDATE warehouse.load_batches SET rows = ${rows}, finished_at = now() WHERE batch_id = ${batchId}`,
  );
  // Without this the BRIN index would see the new pages only after autovacuum, and scan them all.
  await queryRows(db, sql`SELECT brin_summarize_new_values('warehouse.ix_fact_sales_sold_at'::regclass)`);
  if (kind === 'full') await queryRows(db, sql`ANALYZE warehouse.fact_sales`);
  const [{ data_version: dataVersion }] = (await queryRows(
    db,
    sql`SELECT data_version::int AS data_version FROM warehouse.datasets WHERE name = ${DATASET}`,
  )) as { data_version: number }[];
  return { batchId, rows, dataVersion, ms: Math.round(performance.now() - started) };
}
