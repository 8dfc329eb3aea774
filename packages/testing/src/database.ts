import { createHash, randomBytes } from 'node:crypto';
import { createPostgresDataSource, migrate, sql } from '@casebook/platform';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
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

const slug = (service: string) => service.replace(/[^a-z0-9]+/g, '_');

/** Per-file databases carry their creation time (base 36 seconds) so a cleanup can tell stale from in use. */
const stamp = () => Math.floor(Date.now() / 1000).toString(36);
const STALE_AFTER_SECONDS = 3600;

function templatePrefix(service: string): string {
  return `${TEST_DATABASE_PREFIX}tpl_${slug(service)}_`;
}

/** The template of a service for one exact set of migrations (names and SQL), e.g. `…_tpl_chatbot_api_3f2a9c1b`. */
export function templateName(service: string, fingerprint: string): string {
  return templatePrefix(service) + fingerprint;
}

/** Changes whenever a migration is added, renamed or edited, so a stale template is never reused. */
export function migrationsFingerprint(dataSource: DataSource): string {
  const hash = createHash('sha256');
  // The classes as configured: `dataSource.migrations` stays empty until the data source is initialised.
  const classes = (dataSource.options.migrations ?? []) as { name: string; prototype: { up: unknown } }[];
  if (!Array.isArray(classes) || classes.length === 0) throw new Error('migrations must be listed as classes');
  for (const migration of classes) {
    hash.update(migration.name);
    hash.update(String(migration.prototype.up));
  }
  return hash.digest('hex').slice(0, 10);
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

// Database names cannot be bound as parameters; every name passes assertTestDatabaseName first, then sql.ident.
async function dropDatabase(client: Client, name: string): Promise<void> {
  assertTestDatabaseName(name);
  await client.query(sql`DROP DATABASE IF EXISTS ${sql.ident(name)} WITH (FORCE)`);
}

/**
 * Makes sure the migrated template of one service exists for the current migrations. It is built under
 * a temporary name and renamed when complete, so concurrent test runs either reuse a finished template
 * or build their own; none ever clones a half-migrated one. Per-file databases are cloned from it with
 * `CREATE DATABASE … TEMPLATE`, which copies files instead of replaying migrations.
 */
export async function prepareTemplate(service: string, dataSource: (url: string) => DataSource): Promise<string> {
  const fingerprint = migrationsFingerprint(dataSource(databaseUrl(`${TEST_DATABASE_PREFIX}probe`)));
  const name = templateName(service, fingerprint);
  // Test files (in jest workers started after global setup) find the template through the environment.
  process.env[`CASEBOOK_TEST_TEMPLATE_${slug(service).toUpperCase()}`] = fingerprint;
  const exists = await withAdmin(
    async (client) => (await client.query(sql`SELECT 1 FROM pg_database WHERE datname = ${name}`)).rowCount,
  );
  if (exists) {
    await markTemplateUsed(name);
    return name;
  }
  const building = `${TEST_DATABASE_PREFIX}build_${slug(service)}_${stamp()}_${randomBytes(3).toString('hex')}`;
  await withAdmin((client) => client.query(sql`CREATE DATABASE ${sql.ident(building)}`));
  const ds = dataSource(databaseUrl(building));
  await migrate(ds);
  await withAdmin(async (client) => {
    try {
      await client.query(sql`ALTER DATABASE ${sql.ident(building)} RENAME TO ${sql.ident(name)}`);
    } catch (error) {
      // Another run finished the same template first: use theirs.
      await dropDatabase(client, building);
      if ((error as { code?: string }).code !== '42P04') throw error;
    }
  });
  await markTemplateUsed(name);
  return name;
}

const USED = /^casebook test template, used at (\d+)$/;

/**
 * Stamps a template with the time a run started using it (in its database comment), so a concurrent
 * run with other migrations (another checkout, another branch) leaves it alone while it is in use.
 */
async function markTemplateUsed(name: string): Promise<void> {
  assertTestDatabaseName(name);
  const note = `casebook test template, used at ${Math.floor(Date.now() / 1000)}`;
  // DDL takes no bound parameters: the name passed assertTestDatabaseName, the note is escaped.
  await withAdmin((client) =>
    client.query('COMMENT ON DATABASE ' + escapeIdentifier(name) + ' IS ' + escapeLiteral(note)),
  );
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database for one test file, cloned from the service's migrated template. */
export async function createTestDatabase(service: string): Promise<TestDatabase> {
  const worker = process.env.JEST_WORKER_ID ?? '0';
  const name = `${TEST_DATABASE_PREFIX}${slug(service)}_w${worker}_${stamp()}_${randomBytes(4).toString('hex')}`;
  const template = await currentTemplate(service);
  assertTestDatabaseName(name);
  await withAdmin((client) => client.query(sql`CREATE DATABASE ${sql.ident(name)} TEMPLATE ${sql.ident(template)}`));
  return { name, url: databaseUrl(name), drop: () => withAdmin((client) => dropDatabase(client, name)) };
}

/** The newest finished template of a service (global setup made sure the current one exists). */
async function currentTemplate(service: string): Promise<string> {
  const fingerprint = process.env[`CASEBOOK_TEST_TEMPLATE_${slug(service).toUpperCase()}`];
  if (fingerprint) return templateName(service, fingerprint);
  throw new Error(`No test template for ${service}: is it registered in test/global-setup.ts?`);
}

/**
 * Drops what interrupted runs left behind: per-file and half-built databases older than an hour
 * (younger ones may belong to a run going on right now), and templates of other migration sets that no
 * run has started using for an hour (a concurrent run on other migrations may be cloning them now).
 */
export async function dropLeftoverTestDatabases(keepTemplates: string[] = []): Promise<string[]> {
  return withAdmin(async (client) => {
    const { rows } = await client.query<{ datname: string; note: string | null }>(
      sql`SELECT datname, shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname LIKE ${`${TEST_DATABASE_PREFIX}%`}`,
    );
    const now = Date.now() / 1000;
    const dropped: string[] = [];
    for (const { datname, note } of rows) {
      const isTemplate = datname.includes('_tpl_');
      const created = isTemplate ? USED.exec(note ?? '')?.[1] : /_([0-9a-z]{6,8})_[0-9a-f]{6,8}$/.exec(datname)?.[1];
      const age = created === undefined ? Infinity : now - (isTemplate ? Number(created) : parseInt(created, 36));
      const stale = age > STALE_AFTER_SECONDS;
      if (isTemplate ? keepTemplates.length > 0 && !keepTemplates.includes(datname) && stale : stale) {
        await dropDatabase(client, datname);
        dropped.push(datname);
      }
    }
    return dropped;
  });
}

/** Creates a test data source for an already created database (e.g. to arrange rows directly). */
export function testDataSource(url: string, migrations: DataSource['options']['migrations'] = []): DataSource {
  return createPostgresDataSource({ url, applicationName: 'casebook-test', migrations: migrations as never });
}
