import { queryRows, Sql, sql } from './sql';

describe('sql tag', () => {
  it('When values are interpolated, then each becomes a numbered placeholder and none is in the text', () => {
    const email = "o'brien@example.com";
    const statement = sql`SELECT id FROM users WHERE email = ${email} AND region = ${'EU'}`;
    expect(statement.text).toBe('SELECT id FROM users WHERE email = $1 AND region = $2');
    expect(statement.values).toEqual([email, 'EU']);
    expect(statement.text).not.toContain('brien');
  });

  it('When fragments are nested, then placeholders are numbered across them in order', () => {
    const cursor = sql`AND (created_at, id) < (SELECT created_at, id FROM t WHERE id = ${'c1'})`;
    const filter = sql`AND region = ${'APAC'}`;
    const statement = sql`SELECT id FROM t WHERE owner = ${'u1'} ${cursor} ${filter} LIMIT ${10}`;
    expect(statement.text).toBe(
      'SELECT id FROM t WHERE owner = $1 AND (created_at, id) < (SELECT created_at, id FROM t WHERE id = $2) AND region = $3 LIMIT $4',
    );
    expect(statement.values).toEqual(['u1', 'c1', 'APAC', 10]);
  });

  it('When the same fragment is used twice, then its values are bound twice with fresh numbers', () => {
    const owner = sql`owner_id = ${'u1'}`;
    const statement = sql`SELECT 1 FROM a WHERE ${owner} UNION ALL SELECT 1 FROM b WHERE ${owner}`;
    expect(statement.text).toBe('SELECT 1 FROM a WHERE owner_id = $1 UNION ALL SELECT 1 FROM b WHERE owner_id = $2');
    expect(statement.values).toEqual(['u1', 'u1']);
  });

  it('When a list is joined, then values are bound and fragments spliced with the separator between', () => {
    expect(sql`VALUES (${sql.join([1, 'two', null])})`.text).toBe('VALUES ($1, $2, $3)');
    const tests = [sql`a = ${1}`, sql`b IN (${sql.join([2, 3])})`];
    const joined = sql`WHERE ${sql.join(tests, ' AND ')}`;
    expect(joined.text).toBe('WHERE a = $1 AND b IN ($2, $3)');
    expect(joined.values).toEqual([1, 2, 3]);
    expect(sql.join([sql`x = ${1}`, sql`y = ${2}`], sql` OR NOT `).text).toBe('x = $1 OR NOT y = $2');
  });

  it('When an empty list is joined or sql.empty is used, then nothing is added to the text', () => {
    expect(sql`SELECT 1${sql.join([])}${sql.empty}`.text).toBe('SELECT 1');
    expect(sql`SELECT 1${sql.empty}`.values).toEqual([]);
  });

  it('When an identifier is interpolated, then it goes in quoted with its quotes doubled, never as a value', () => {
    const table = sql.ident('audit_restore_2024"; DROP TABLE users; --');
    const statement = sql`CREATE TABLE ${table} (LIKE ${sql.ident('audit', 'events')})`;
    expect(statement.text).toBe('CREATE TABLE "audit_restore_2024""; DROP TABLE users; --" (LIKE "audit"."events")');
    expect(statement.values).toEqual([]);
  });

  it('When an identifier is empty or holds a NUL, then it is refused', () => {
    expect(() => sql.ident('')).toThrow(TypeError);
    expect(() => sql.ident('a\0b')).toThrow(TypeError);
    expect(() => sql.ident()).toThrow(TypeError);
  });

  it('When text is offered as anything but a template, then no fragment can be made of it', () => {
    const input = '1; DROP TABLE users';
    const strings = Object.assign(['SELECT ' + input], { raw: ['SELECT ' + input] });
    expect(() => sql(strings as unknown as TemplateStringsArray)).toThrow(/template tag/);
    const Ctor = Sql as unknown as new (mint: symbol, s: string[], v: unknown[]) => Sql;
    expect(() => new Ctor(Symbol('sql'), ['SELECT ' + input], [])).toThrow(/sql tag/);
  });

  it('When queryRows runs an UPDATE … RETURNING through TypeORM, then it answers the rows', async () => {
    const calls: [string, unknown[] | undefined][] = [];
    const runner = {
      query: async (text: string, values?: unknown[]) => {
        calls.push([text, values]);
        return [[{ id: 'a' }], 1];
      },
    };
    expect(await queryRows<{ id: string }>(runner, sql`UPDATE t SET x = ${1} RETURNING id`)).toEqual([{ id: 'a' }]);
    expect(calls).toEqual([['UPDATE t SET x = $1 RETURNING id', [1]]]);
  });
});
