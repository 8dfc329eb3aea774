import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import { SnakeNamingStrategy } from './naming.strategy';

export interface PostgresOptions {
  url: string;
  /** `application_name` in pg_stat_activity, so a slow query can be traced to its service. */
  applicationName: string;
  poolSize?: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  statementTimeoutMs?: number;
}

export const MIGRATIONS_TABLE = 'schema_migrations';

/**
 * One data source per service. The schema changes only through migrations (listed as classes, not
 * globs, so the same list works compiled and under the test runner); `synchronize` is never on.
 */
export function createPostgresDataSource(options: PostgresOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    applicationName: options.applicationName,
    entities: options.entities ?? [],
    migrations: options.migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    poolSize: options.poolSize ?? 10,
    extra: {
      connectionTimeoutMillis: 5_000,
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    },
    logging: false,
  });
}

/** Runs every pending migration of `dataSource` and reports which ran. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const wasInitialized = dataSource.isInitialized;
  if (!wasInitialized) await dataSource.initialize();
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    if (!wasInitialized) await dataSource.destroy();
  }
}
