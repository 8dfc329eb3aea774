import type { Env } from '@casebook/platform';
import { createTestDatabase, type TestDatabase } from './database';
import { deleteKeysWithPrefix, TEST_REDIS_URL, testRedisPrefix } from './redis';

export interface TestEnvironment {
  readonly database: TestDatabase;
  readonly redisPrefix: string;
  /** Environment for the service's config loader: its own database, its own Redis prefix, quiet logs. */
  env(overrides?: Env): Env;
}

/**
 * Call once at the top of a test file: before all tests it clones the service's template into a new
 * database and picks a Redis prefix; after all tests it drops both.
 */
export function useTestEnvironment(service: string): TestEnvironment {
  let database: TestDatabase | undefined;
  const redisPrefix = testRedisPrefix();

  beforeAll(async () => {
    database = await createTestDatabase(service);
  });
  afterAll(async () => {
    await database?.drop();
    await deleteKeysWithPrefix(redisPrefix);
  });

  return {
    get database() {
      if (!database) throw new Error('The test database exists only inside tests and hooks');
      return database;
    },
    redisPrefix,
    env(overrides: Env = {}) {
      return {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: this.database.url,
        DATABASE_POOL_SIZE: '4',
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: redisPrefix,
        PORT: '0',
        ...overrides,
      };
    },
  };
}
