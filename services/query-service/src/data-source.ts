import { auditMigrations } from '@casebook/audit';
import { createPostgresDataSource } from '@casebook/platform';
import type { DataSource } from 'typeorm';
import type { QueryConfig } from './config';
import { queryMigrations } from './migrations';

export function createQueryDataSource(config: Pick<QueryConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>): DataSource {
  return createPostgresDataSource({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'casebook-query-service',
    // This service's audit chain lives beside its tables; `pnpm audit:verify --database-url` checks it.
    migrations: [...queryMigrations, ...auditMigrations],
  });
}
