// What tests and tooling import from this service; the service itself starts from main.ts.
export * from './config';
export { AppModule } from './app.module';
export { createModerationDataSource } from './data-source';
export { moderationMigrations } from './migrations';
export { seedModeration, MODERATION_CATEGORIES } from './seed';
