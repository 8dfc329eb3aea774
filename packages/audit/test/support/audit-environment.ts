import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier, Pool } from 'pg';
import { type Env, migrate } from '@casebook/platform';
import {
  assertTestDatabaseName,
  createTestDatabase,
  databaseUrl,
  deleteKeysWithPrefix,
  TEST_PG_ADMIN_URL,
  TEST_REDIS_URL,
  testDataSource,
  testRedisPrefix,
} from '@casebook/testing';
import { type AuditDb, auditDbFromPool, auditMigrations } from '../../src';

export interface AuditTestEnvironment {
  readonly url: string;
  readonly redisPrefix: string;
  readonly pool: Pool;
  readonly db: AuditDb;
  /** Environment for the fixture service's config loader. */
  env(overrides?: Env): Env;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A database with the audit tables for one test file, and a Redis prefix. Cloned from the `audit`
 * template when test/global-setup.ts builds one; otherwise created here and migrated (a few hundred ms).
 */
export function useAuditEnvironment(): AuditTestEnvironment {
  let name: string | undefined;
  let pool: Pool | undefined;
  const redisPrefix = testRedisPrefix();

  beforeAll(async () => {
    try {
      name = (await createTestDatabase('audit')).name;
    } catch {
      // Named like the kit's per-file databases (worker, creation time, random), so another run's cleanup
      // can tell it is in use.
      const created = Math.floor(Date.now() / 1000).toString(36);
      name = `casebook_test_audit_w${process.env.JEST_WORKER_ID ?? '0'}_${created}_${randomBytes(4).toString('hex')}`;
      assertTestDatabaseName(name);
      await admin((client) => client.query('CREATE DATABASE ' + escapeIdentifier(name!)));
      await migrate(testDataSource(databaseUrl(name), auditMigrations));
    }
    pool = new Pool({ connectionString: databaseUrl(name), max: 4 });
    // The database is dropped WITH (FORCE) after the file; an idle client told so is not a test failure.
    pool.on('error', () => undefined);
  });
  afterAll(async () => {
    await pool?.end();
    if (name) {
      assertTestDatabaseName(name);
      await admin((client) => client.query('DROP DATABASE IF EXISTS ' + escapeIdentifier(name!) + ' WITH (FORCE)'));
    }
    await deleteKeysWithPrefix(redisPrefix);
  });

  return {
    get url() {
      if (!name) throw new Error('The test database exists only inside tests and hooks');
      return databaseUrl(name);
    },
    redisPrefix,
    get pool() {
      if (!pool) throw new Error('The test database exists only inside tests and hooks');
      return pool;
    },
    get db() {
      return auditDbFromPool(this.pool);
    },
    env(overrides: Env = {}) {
      return {
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATABASE_URL: this.url,
        DATABASE_POOL_SIZE: '4',
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: redisPrefix,
        PORT: '0',
        ...overrides,
      };
    },
  };
}
