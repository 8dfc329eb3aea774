// What tests and tooling import from this service; the service itself starts from main.ts / worker.ts.
export { AppModule } from './app.module';
export { loadChatbotConfig, SERVICE_DEFAULTS } from './config';
export type { ChatbotConfig } from './config';
export { createChatbotDataSource } from './data-source';
export { DEMO_USERS } from './demo-users';
export { INTENT_CATALOG } from './intents/intent-catalog';
export { QueryClient } from './jobs/query-client';
export { seedChatbot } from './seed';
export { WorkerModule } from './worker/worker.module';
