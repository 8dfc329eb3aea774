import { DataSource } from 'typeorm';
import { AppModule, loadChatbotConfig } from '@casebook/chatbot-api';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import {
  assertTestDatabaseName,
  createTestApp,
  createTestDatabase,
  dropLeftoverTestDatabases,
  TEST_PG_ADMIN_URL,
  testDataSource,
  useTestEnvironment,
} from '@casebook/testing';

const env = useTestEnvironment('chatbot-api');

describe('test isolation', () => {
  it("When a test file boots an app, then the app is connected to that file's own cloned database", async () => {
    const t = await createTestApp({
      config: loadChatbotConfig(env.env()),
      module: (c, logDestination) => AppModule.forRoot(c, { logDestination }),
    });
    try {
      const [{ name }] = await t.app.get(DataSource).query('SELECT current_database() AS name');
      expect(name).toBe(env.database.name);
      expect(name).toMatch(/^casebook_test_chatbot_api_w\d+_[0-9a-z]{6,8}_[0-9a-f]{8}$/);
      // Cloned from the migrated template: the schema is there without running migrations.
      const [{ count }] = await t.app.get(DataSource).query('SELECT count(*)::int AS count FROM schema_migrations');
      expect(count).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it("When two files write, then neither sees the other's rows", async () => {
    const other = await createTestDatabase('chatbot-api');
    const mine = testDataSource(env.database.url);
    const theirs = testDataSource(other.url);
    await Promise.all([mine.initialize(), theirs.initialize()]);
    try {
      expect(other.name).not.toBe(env.database.name);
      await mine.query("INSERT INTO intents (name, description, lane) VALUES ('only_mine', 'x', 'short')");
      const rows = await theirs.query("SELECT name FROM intents WHERE name = 'only_mine'");
      expect(rows).toEqual([]);
    } finally {
      await Promise.all([mine.destroy(), theirs.destroy()]);
      await other.drop();
    }
  });

  it('When another migration set’s template was used within the hour, then cleanup keeps it; unused for longer, it drops it', async () => {
    const name = `casebook_test_tpl_isolation_probe_${Date.now().toString(16)}`;
    const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
    await admin.connect();
    const usedAt = (seconds: number) =>
      admin.query(
        'COMMENT ON DATABASE ' +
          escapeIdentifier(name) +
          ' IS ' +
          escapeLiteral(`casebook test template, used at ${Math.floor(seconds)}`),
      );
    try {
      await admin.query('CREATE DATABASE ' + escapeIdentifier(name));
      await usedAt(Date.now() / 1000 - 60);

      expect(await dropLeftoverTestDatabases(['casebook_test_tpl_some_other_set'])).not.toContain(name);

      await usedAt(Date.now() / 1000 - 2 * 3600);
      expect(await dropLeftoverTestDatabases(['casebook_test_tpl_some_other_set'])).toContain(name);
    } finally {
      await admin.query('DROP DATABASE IF EXISTS ' + escapeIdentifier(name));
      await admin.end();
    }
  });

  it('When a database name does not mark it as a test database, then the kit refuses it', () => {
    for (const name of ['casebook_chatbot', 'postgres', 'test', 'casebook_test_x; DROP DATABASE y']) {
      expect(() => assertTestDatabaseName(name)).toThrow(/Refusing to use database/);
    }
    expect(() => assertTestDatabaseName('casebook_test_chatbot_api_w1_abcd1234')).not.toThrow();
  });

  it('When a test opens a connection off this machine, then it is refused', async () => {
    const net = await import('node:net');
    // `lookup` never answers, so even a broken guard would send nothing off the machine.
    const lookup = () => undefined;
    expect(() => net.connect({ host: 'llm-vendor.invalid', port: 443, lookup })).toThrow(/Outbound network is blocked/);
    expect(() => new net.Socket().connect({ host: 'llm-vendor.invalid', port: 443, lookup })).toThrow(
      /Outbound network is blocked/,
    );
  });
});
