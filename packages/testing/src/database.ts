import { randomBytes } from 'node:crypto';
import { createPostgresDataSource, migrate } from '@casebook/platform';
import { Client, escapeIdentifier } from 'pg';
import type { DataSource } from 'typeorm';

/** Server used by tests; a maintenance database on it creates and drops the per-file databases. */
export const TEST_PG_ADMIN_URL = process.env.CASEBOOK_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_DATABASE_PREFIX = 'casebook_test_';

const TEST_NAME = /^casebook_test_[a-z0-9_]{1,48}$/;

/**
 * Every database the kit creates, clones or drops must be named as a test database. A mistaken URL
 * pointing at a real database stops here instead of being wiped.
 */
export function assertTestDatabaseName(name: string): void {
  if (!TEST_NAME.test(name)) {
    throw new Error(`Refusing to use database '${name}' in tests: its name must match ${TEST_NAME}`);
  }
}

export function templateName(service: string): string {
  return `${TEST_DATABASE_PREFIX}tpl_${service.replace(/[^a-z0-9]+/g, '_')}`;
}

export function databaseUrl(name: string): string {
  assertTestDatabaseName(name);
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_PG_ADMIN_URL, application_name: 'casebook-test-kit' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// Database names cannot be bound as parameters; every name passes assertTestDatabaseName first.
async function dropDatabase(client: Client, name: string): Promise<void> {
  assertTestDatabaseName(name);
  await client.query('DROP DATABASE IF EXISTS ' + escapeIdentifier(name) + ' WITH (FORCE)');
}

/**
 * Builds the migrated template of one service, once per test run: drop, create, run every migration.
 * Per-file databases are cloned from it with `CREATE DATABASE … TEMPLATE`, which copies files
 * instead of replaying migrations.
 */
export async function prepareTemplate(service: string, dataSource: (url: string) => DataSource): Promise<string> {
  const name = templateName(service);
  await withAdmin(async (client) => {
    await dropDatabase(client, name);
    await client.query('CREATE DATABASE ' + escapeIdentifier(name));
  });
  await migrate(dataSource(databaseUrl(name)));
  return name;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database for one test file, cloned from the service's migrated template. */
export async function createTestDatabase(service: string): Promise<TestDatabase> {
  const worker = process.env.JEST_WORKER_ID ?? '0';
  const name = `${TEST_DATABASE_PREFIX}${service.replace(/[^a-z0-9]+/g, '_')}_w${worker}_${randomBytes(4).toString('hex')}`;
  const template = templateName(service);
  assertTestDatabaseName(name);
  await withAdmin((client) =>
    client.query('CREATE DATABASE ' + escapeIdentifier(name) + ' TEMPLATE ' + escapeIdentifier(template)),
  );
  return { name, url: databaseUrl(name), drop: () => withAdmin((client) => dropDatabase(client, name)) };
}

/** Drops per-file databases left behind by an interrupted run (templates are rebuilt anyway). */
export async function dropLeftoverTestDatabases(): Promise<string[]> {
  return withAdmin(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname NOT LIKE $2`,
      [`${TEST_DATABASE_PREFIX}%`, `${TEST_DATABASE_PREFIX}tpl_%`],
    );
    for (const { datname } of rows) await dropDatabase(client, datname);
    return rows.map((r) => r.datname);
  });
}

/** Creates a test data source for an already created database (e.g. to arrange rows directly). */
export function testDataSource(url: string, migrations: DataSource['options']['migrations'] = []): DataSource {
  return createPostgresDataSource({ url, applicationName: 'casebook-test', migrations: migrations as never });
}
