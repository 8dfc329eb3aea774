import { auditMigrations } from '@casebook/audit';
import { createPostgresDataSource } from '@casebook/platform';
import type { DataSource } from 'typeorm';
import type { ModerationConfig } from './config';
import { moderationMigrations } from './migrations';

export function createModerationDataSource(
  config: Pick<ModerationConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
): DataSource {
  return createPostgresDataSource({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'casebook-moderation-service',
    // Rule changes are audited in this service's own chain; `pnpm audit:verify --database-url` checks it.
    migrations: [...moderationMigrations, ...auditMigrations],
  });
}
