import { createChatbotDataSource } from '@casebook/chatbot-api';
import { createModerationDataSource } from '@casebook/moderation-service';
import { createQueryDataSource } from '@casebook/query-service';
import { dropLeftoverTestDatabases, prepareTemplate } from '@casebook/testing';

const POOL = { DATABASE_POOL_SIZE: 2 };

/**
 * Once per `pnpm test`: a migrated template database per service (reused while its migrations are
 * unchanged); each test file clones one. Databases of interrupted runs are dropped.
 */
export default async function globalSetup(): Promise<void> {
  const templates = await Promise.all([
    prepareTemplate('chatbot-api', (url) => createChatbotDataSource({ DATABASE_URL: url, ...POOL })),
    prepareTemplate('query-service', (url) => createQueryDataSource({ DATABASE_URL: url, ...POOL })),
    prepareTemplate('moderation-service', (url) => createModerationDataSource({ DATABASE_URL: url, ...POOL })),
  ]);
  await dropLeftoverTestDatabases(templates);
}
