import type { DataSource } from 'typeorm';
import { DatasetsRepository } from './datasets/datasets.repository';

export const DEMO_DATASETS = [
  {
    name: 'sales',
    description: 'Sales facts: date, product, category, region, customer segment, units, revenue, cost.',
  },
];

/** Demo data for `pnpm start`; safe to run any number of times. */
export async function seedQuery(db: DataSource): Promise<void> {
  await new DatasetsRepository(db).register(DEMO_DATASETS);
}
