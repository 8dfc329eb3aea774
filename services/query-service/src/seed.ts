import { queryRows, sql } from '@casebook/platform';
import type { DataSource } from 'typeorm';
import { DatasetsRepository } from './datasets/datasets.repository';
import { loadSales } from './warehouse/generator';

export const DEMO_DATASETS = [
  {
    name: 'sales',
    description: 'Sales facts: date, product, category, region, customer segment, units, revenue, cost.',
  },
];

/** Where generated sales start; they run up to the current hour. */
export const WAREHOUSE_START = new Date('2023-01-01T00:00:00Z');
/** `pnpm warehouse:seed` without `--rows`: uncached year-long aggregates take hundreds of ms here. */
export const DEFAULT_WAREHOUSE_ROWS = 3_000_000;
/** What `pnpm start` loads when the warehouse is empty: seconds to generate, enough to show the cache. */
export const DEMO_WAREHOUSE_ROWS = 300_000;

export function currentHour(now = Date.now()): Date {
  return new Date(Math.floor(now / 3_600_000) * 3_600_000);
}

/**
 * Demo data for `pnpm start`; safe to run any number of times. The warehouse is filled only when it is
 * empty, so a bigger `pnpm warehouse:seed` survives restarts.
 */
export async function seedQuery(db: DataSource, options: { warehouseRows?: number } = {}): Promise<void> {
  await new DatasetsRepository(db).register(DEMO_DATASETS);
  const rows = options.warehouseRows ?? DEMO_WAREHOUSE_ROWS;
  if (rows === 0) return;
  const [{ present }] = (await queryRows(db, sql`SELECT EXISTS (SELECT 1 FROM warehouse.fact_sales) AS present`)) as {
    present: boolean;
  }[];
  if (!present) await loadSales(db, { kind: 'full', rows, from: WAREHOUSE_START, to: currentHour() });
}
