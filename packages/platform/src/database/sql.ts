import { returnedRows } from './returning';

/** What `sql.join` may put between fragments: fixed separators from code, or a fragment. */
export type SqlSeparator = ', ' | ' AND ' | ' OR ' | ' ' | Sql;

/**
 * A SQL statement or fragment: `text` with `$1..$n` placeholders and the `values` they stand for. It is
 * a pg `QueryConfig` as it is (`client.query(statement)`); through TypeORM, use `queryRows`.
 *
 * Made only by the `sql` tag, so text comes from code: every `${value}` becomes a placeholder, a nested
 * fragment is spliced in with its placeholders renumbered, and an identifier goes in only through
 * `sql.ident()`, quoted.
 */
export class Sql {
  /** `strings.length === values.length + 1`; value i sits between strings i and i + 1. */
  readonly #strings: readonly string[];
  // Own data properties, not getters: pg reads them off a copy of the config it is handed.
  readonly text: string;
  readonly values: unknown[];

  constructor(mint: typeof MINT, strings: readonly string[], values: unknown[]) {
    if (mint !== MINT) throw new TypeError('SQL is written with the sql tag');
    this.#strings = strings;
    this.values = values;
    let text = strings[0]!;
    for (let i = 1; i < strings.length; i++) text += '$' + i + strings[i];
    this.text = text;
  }

  /** The text pieces around the placeholders, for splicing this fragment into another. */
  static strings(fragment: Sql): readonly string[] {
    return fragment.#strings;
  }
}

/** Only this module makes fragments: the tag, `join` and `ident`. */
const MINT: unique symbol = Symbol('sql');

function build(strings: readonly string[], params: readonly unknown[]): Sql {
  const parts: string[] = [strings[0]!];
  const values: unknown[] = [];
  params.forEach((param, i) => {
    if (param instanceof Sql) {
      // Splice the fragment: its first string joins ours, its values keep their order.
      const inner = Sql.strings(param);
      parts[parts.length - 1] += inner[0]!;
      for (let j = 0; j < param.values.length; j++) {
        values.push(param.values[j]);
        parts.push(inner[j + 1]!);
      }
      parts[parts.length - 1] += strings[i + 1]!;
    } else {
      values.push(param);
      parts.push(strings[i + 1]!);
    }
  });
  return new Sql(MINT, parts, values);
}

/** `sql\`SELECT id FROM users WHERE email = ${email}\`` → `{ text: 'SELECT id FROM users WHERE email = $1', values: [email] }`. */
export function sql(strings: TemplateStringsArray, ...params: unknown[]): Sql {
  // A template's strings array is frozen and carries `raw`; an array made at run time (from input) is not.
  if (!Array.isArray(strings.raw) || !Object.isFrozen(strings)) throw new TypeError('sql is a template tag');
  return build(strings, params);
}

/** The fragments (or values, each bound) of `list` with `separator` between them; empty for an empty list. */
sql.join = function join(list: readonly unknown[], separator: SqlSeparator = ', '): Sql {
  if (list.length === 0) return EMPTY;
  const strings = [''];
  const params: unknown[] = [];
  list.forEach((item, i) => {
    if (i > 0) {
      if (separator instanceof Sql) {
        params.push(separator);
        strings.push('');
      } else {
        strings[strings.length - 1] += separator;
      }
    }
    params.push(item);
    strings.push('');
  });
  return build(strings, params);
};

/**
 * A quoted identifier (`"name"`, or `"schema"."name"` for several parts). Identifiers cannot be bound as
 * parameters; quoting makes any name one identifier, never more SQL.
 */
sql.ident = function ident(...names: string[]): Sql {
  if (names.length === 0) throw new TypeError('sql.ident needs a name');
  const quoted = names.map((name) => {
    if (typeof name !== 'string' || name.length === 0 || name.includes('\0')) {
      throw new TypeError(`Not an SQL identifier: ${JSON.stringify(name)}`);
    }
    return '"' + name.replace(/"/g, '""') + '"';
  });
  return build([quoted.join('.')], []);
};

/** The empty fragment, for an optional clause: `${cursor ? sql\`AND id > ${cursor}\` : sql.empty}`. */
sql.empty = build([''], []);
const EMPTY = sql.empty;

/** Anything that runs a statement the TypeORM way: a DataSource, an EntityManager, a QueryRunner. */
export interface SqlRunner {
  // TypeORM types its results as `any`; `queryRows` gives them the caller's row type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(text: string, values?: any[]): Promise<any>;
}

/**
 * Runs `statement` and answers its rows, also for `UPDATE … RETURNING` and `DELETE … RETURNING` (which
 * TypeORM answers as `[rows, count]`).
 */
export async function queryRows<T = Record<string, unknown>>(runner: SqlRunner, statement: Sql): Promise<T[]> {
  return returnedRows<T>(await runner.query(statement.text, statement.values));
}

/** The readiness probe of a Postgres connection. */
export async function pingPostgres(runner: SqlRunner): Promise<void> {
  await queryRows(runner, sql`SELECT 1`);
}
