import { queryRows, runSeedCli, sql } from '@casebook/platform';
import { loadQueryConfig } from '../config';
import { createQueryDataSource } from '../data-source';
import { loadSales } from '../warehouse/generator';
import { warehouseArgs } from './args';

// `pnpm warehouse:load [--rows M] [--hours H]`: an hourly load — appends M sales for the hours since the
// last load (at most H). Its NOTIFY makes every query-service instance move to the new data version.
const args = warehouseArgs(process.argv.slice(2), { rows: 5_000 });
void runSeedCli(
  'query-service',
  () => createQueryDataSource(loadQueryConfig()),
  async (db) => {
    const to = args.to ?? new Date();
    const [{ last }] = (await queryRows(
      db,
      sql`SELECT max(covers_to) AS last FROM warehouse.load_batches WHERE dataset = 'sales'`,
    )) as { last: Date | null }[];
    const earliest = new Date(to.getTime() - args.hours * 3_600_000);
    const from = args.from ?? (last && last > earliest ? last : earliest);
    if (from >= to) {
      console.log('[query-service] nothing to load: the warehouse is up to date');
      return;
    }
    const result = await loadSales(db, { kind: 'incremental', rows: args.rows, from, to, seed: args.seed });
    console.log(
      `[query-service] loaded ${result.rows} rows for ${from.toISOString()} – ${to.toISOString()}, data version ${result.dataVersion}`,
    );
  },
);
