import { queryRows, sql } from '@casebook/platform';
import { naughtyStrings, testDataSource, useTestEnvironment } from '@casebook/testing';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

const env = useTestEnvironment('chatbot-api');

describe('sql tag against Postgres', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await testDataSource(env.database.url).initialize();
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('When every naughty string is bound through the tag, then Postgres hands each back unchanged', async () => {
    // Postgres text cannot hold NUL; none of the list does, and the assertion would show it if one did.
    const strings = naughtyStrings().filter((s) => !s.includes('\0'));
    expect(strings.length).toBeGreaterThan(500);
    const rows = await queryRows<{ i: number; s: string }>(
      db,
      sql`SELECT i::int AS i, s FROM unnest(${strings}::text[]) WITH ORDINALITY AS t(s, i) ORDER BY i`,
    );
    expect(rows.map((row) => row.s)).toEqual(strings);
  });

  it('When naughty strings are written and read in composed fragments, then each row round-trips', async () => {
    // One connection for the temporary table, so every statement sees it.
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.query('CREATE TEMP TABLE naughty (n int PRIMARY KEY, s text NOT NULL)');
    const strings = naughtyStrings().filter((s) => !s.includes('\0'));
    const tuples = strings.map((s, n) => sql`(${n}, ${s})`);
    try {
      for (let i = 0; i < tuples.length; i += 200) {
        await queryRows(
          runner,
          sql`INSERT INTO ${sql.ident('naughty')} (n, s) VALUES ${sql.join(tuples.slice(i, i + 200))}`,
        );
      }
      for (const [n, s] of strings.entries()) {
        if (n % 7 !== 0) continue;
        const found = await queryRows<{ n: number }>(runner, sql`SELECT n FROM naughty WHERE s = ${s} AND n = ${n}`);
        expect(found).toEqual([{ n }]);
      }
      const [{ count }] = await queryRows<{ count: number }>(runner, sql`SELECT count(*)::int AS count FROM naughty`);
      expect(count).toBe(strings.length);
    } finally {
      await runner.release();
    }
  });

  it('When an identifier holds quotes and SQL, then Postgres sees one identifier of exactly that name', async () => {
    const name = 'x"; DROP TABLE intents; --';
    const rows = await queryRows<{ name: string }>(db, sql`SELECT ${'v'}::text AS ${sql.ident(name)}`);
    expect(Object.keys(rows[0]!)).toEqual([name]);
    const [{ exists }] = await queryRows<{ exists: boolean }>(
      db,
      sql`SELECT to_regclass('intents') IS NOT NULL AS exists`,
    );
    expect(exists).toBe(true);
  });

  it('When a statement is handed to a pg client as it is, then pg binds its values', async () => {
    const client = new Client({ connectionString: env.database.url });
    await client.connect();
    try {
      const { rows } = await client.query(sql`SELECT ${"it's"}::text AS v, ${2}::int + ${3}::int AS n`);
      expect(rows).toEqual([{ v: "it's", n: 5 }]);
    } finally {
      await client.end();
    }
  });
});
