import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { redactUrl } from '../config';
import { migrate } from './data-source';
import { sql } from './sql';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Creates the database named in `url` when it does not exist yet (connecting to `postgres` to do so). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!IDENTIFIER.test(name)) throw new Error(`Refusing to create database with unusual name '${name}'`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), application_name: 'casebook-migrate' });
  await client.connect();
  try {
    const { rowCount } = await client.query(sql`SELECT 1 FROM pg_database WHERE datname = ${name}`);
    if (rowCount) return false;
    // Identifiers cannot be bound as parameters: checked against IDENTIFIER above, then quoted.
    await client.query(sql`CREATE DATABASE ${sql.ident(name)}`);
    return true;
  } finally {
    await client.end();
  }
}

async function runCli(task: () => Promise<void>): Promise<void> {
  try {
    await task();
    process.exit(0);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

/** `node dist/cli/migrate.js`: create the service's database if needed and apply pending migrations. */
export function runMigrationCli(service: string, dataSource: () => DataSource): Promise<void> {
  return runCli(async () => {
    const ds = dataSource();
    const url = (ds.options as { url: string }).url;
    if (await ensureDatabase(url)) console.log(`[${service}] created database ${redactUrl(url)}`);
    const ran = await migrate(ds);
    console.log(`[${service}] ${ran.length ? `applied ${ran.join(', ')}` : 'schema up to date'}`);
  });
}

/** `node dist/cli/seed.js`: load demo data; seeds are idempotent. */
export function runSeedCli(
  service: string,
  dataSource: () => DataSource,
  seed: (db: DataSource) => Promise<void>,
): Promise<void> {
  return runCli(async () => {
    const ds = await dataSource().initialize();
    try {
      await seed(ds);
      console.log(`[${service}] demo data seeded`);
    } finally {
      await ds.destroy();
    }
  });
}
