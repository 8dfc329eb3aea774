// What tests and tooling import from this service; the service itself starts from main.ts.
export { AppModule } from './app.module';
export { loadQueryConfig, SERVICE_DEFAULTS } from './config';
export type { QueryConfig } from './config';
export { createQueryDataSource } from './data-source';
export { DEMO_DATASETS, seedQuery } from './seed';
export { DataVersions } from './warehouse/data-versions';
export { loadSales } from './warehouse/generator';
export { WarehouseClient } from './warehouse/warehouse.client';
export { WarehouseListener } from './warehouse/warehouse.listener';
export { QueryFrequency } from './warming/query-frequency';
export { WarmingQueue } from './warming/warming.queue';
