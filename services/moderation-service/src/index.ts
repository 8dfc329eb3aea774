// What tests and tooling import from this service; the service itself starts from main.ts.
export { AppModule } from './app.module';
export { loadModerationConfig, SERVICE_DEFAULTS } from './config';
export { createModerationDataSource } from './data-source';
export { MODERATION_CATEGORIES, seedModeration } from './seed';
export { LiveSnapshots } from './rule-sets/live-snapshots';
