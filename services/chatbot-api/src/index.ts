// What tests and tooling import from this service; the service itself starts from main.ts / worker.ts.
export * from './config';
export { AppModule } from './app.module';
export { WorkerModule } from './worker/worker.module';
export { createChatbotDataSource } from './data-source';
export { chatbotMigrations } from './migrations';
export { seedChatbot } from './seed';
export { INTENT_CATALOG } from './intents/intent-catalog';
export { DEMO_USERS, DEMO_INSIGHTS } from './demo-users';
export { QueryClient } from './jobs/query-client';
