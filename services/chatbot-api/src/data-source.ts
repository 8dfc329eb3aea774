import { auditMigrations } from '@casebook/audit';
import { createPostgresDataSource } from '@casebook/platform';
import type { DataSource } from 'typeorm';
import type { ChatbotConfig } from './config';
import { chatbotMigrations } from './migrations';

export function createChatbotDataSource(
  config: Pick<ChatbotConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
): DataSource {
  return createPostgresDataSource({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'casebook-chatbot-api',
    // The audit tables live here: admin changes write their event in the change's own transaction.
    migrations: [...chatbotMigrations, ...auditMigrations],
  });
}
