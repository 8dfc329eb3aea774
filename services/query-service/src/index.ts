// What tests and tooling import from this service; the service itself starts from main.ts.
export * from './config';
export { AppModule } from './app.module';
export { createQueryDataSource } from './data-source';
export { queryMigrations } from './migrations';
export { seedQuery, DEMO_DATASETS } from './seed';
