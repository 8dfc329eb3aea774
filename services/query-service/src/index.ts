// What tests and tooling import from this service; the service itself starts from main.ts.
export * from './config';
export { AppModule } from './app.module';
export { createQueryDataSource } from './data-source';
export { queryMigrations } from './migrations';
export { seedQuery, DEMO_DATASETS, DEMO_WAREHOUSE_ROWS, DEFAULT_WAREHOUSE_ROWS, WAREHOUSE_START } from './seed';
export { loadSales, ensureDimensions } from './warehouse/generator';
export { parseQuestion, QuestionNotUnderstood } from './questions/question-parser';
export { queryKey, tagsOf } from './queries/query-key';
export { dataQueryOf } from './questions/canonical-query';
export type { CanonicalQuery, DataQuery } from './questions/canonical-query';
export { QueriesService } from './queries/queries.service';
export { WarmingService } from './warming/warming.service';
export { DataVersions } from './warehouse/data-versions';
export { WarehouseListener } from './warehouse/warehouse.listener';
export { WarehouseClient } from './warehouse/warehouse.client';
export { QueryFrequency } from './warming/query-frequency';
export { WarmingQueue } from './warming/warming.queue';
