// Public surface of @casebook/testing: named exports of what other workspaces use; add a name when one needs it.
export { createTestApp } from './app';
export type { TestApp } from './app';
export {
  assertTestDatabaseName,
  createTestDatabase,
  databaseUrl,
  dropLeftoverTestDatabases,
  prepareTemplate,
  TEST_PG_ADMIN_URL,
  testDataSource,
} from './database';
export { useTestEnvironment } from './environment';
export type { TestEnvironment } from './environment';
export { defineFactory } from './factory';
export { FakeGeminiServer } from './fakes/fake-gemini-server';
export { FakeOpenAiServer } from './fakes/fake-openai-server';
export { bodyAsText } from './http-body';
export { latencyProxy } from './latency-proxy';
export { LogCapture } from './log-capture';
export { naughtyStrings } from './naughty-strings';
export { deleteKeysWithPrefix, freePort, RedisServer, TEST_REDIS_URL, testRedisPrefix } from './redis';
export { routeInventory } from './routes';
export { waitFor } from './wait-for';
