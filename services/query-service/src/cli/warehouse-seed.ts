import { runSeedCli } from '@casebook/platform';
import { loadQueryConfig } from '../config';
import { createQueryDataSource } from '../data-source';
import { DEFAULT_WAREHOUSE_ROWS, WAREHOUSE_START, currentHour } from '../seed';
import { loadSales } from '../warehouse/generator';
import { warehouseArgs } from './args';

// `pnpm warehouse:seed --rows N [--from ISO] [--to ISO] [--seed S]`: replaces the sales facts with N
// deterministic rows. The default size makes an uncached year-long aggregate take hundreds of ms here.
const args = warehouseArgs(process.argv.slice(2), { rows: DEFAULT_WAREHOUSE_ROWS });
void runSeedCli(
  'query-service',
  () => createQueryDataSource(loadQueryConfig()),
  async (db) => {
    const result = await loadSales(db, {
      kind: 'full',
      rows: args.rows,
      from: args.from ?? WAREHOUSE_START,
      to: args.to ?? currentHour(),
      seed: args.seed,
      onProgress: (done, total) =>
        process.stdout.write(`\r[query-service] ${done.toLocaleString('en')} / ${total.toLocaleString('en')} rows`),
    });
    process.stdout.write('\n');
    console.log(
      `[query-service] warehouse loaded: ${result.rows} rows in ${result.ms} ms, data version ${result.dataVersion}`,
    );
  },
);
