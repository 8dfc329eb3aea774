import { rulesToQuery } from '@casl/ability/extra';
import { type Sql, sql } from '@casebook/platform';
import { parseConditions, type Comparison } from './conditions';
import type { AppAbility } from './vocabulary';

/**
 * What a principal may see of one subject type, as SQL a repository ANDs into its WHERE clause:
 * - `all`: no restriction;
 * - `none`: nothing is allowed (return an empty list without querying, or 403);
 * - `filter`: a `where` fragment of the `sql` tag, its values bound (never in its text), spliced into the
 *   repository's statement as `AND (${where})`.
 */
export type SqlScope = { kind: 'all' } | { kind: 'none' } | { kind: 'filter'; where: Sql };

/** A rule the repository cannot express in SQL: a programming or catalog error, never a 403. */
export class UnsupportedScopeError extends Error {
  override readonly name = 'UnsupportedScopeError';
}

/**
 * Plain or table-qualified lower-case column names (quoted by `sql.ident`, so lower case keeps them the
 * columns Postgres folds unquoted names to); they come from code, not input.
 */
const COLUMN = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

interface RuleFilter {
  inverted: boolean;
  comparisons: Comparison[];
}

/**
 * Q1.3: the ability as a SQL filter, so authorisation scopes the query itself: an analyst listing
 * insights gets only their region's rows from Postgres, instead of every row filtered (or forgotten) in
 * application code. `columns` maps condition fields to columns (`{ region: 'i.region', ownerId:
 * 'i.user_id' }`); a rule over a field missing from the map throws rather than being skipped, because
 * skipping a condition would widen access.
 *
 * CASL's `rulesToQuery` decides which rules matter (wildcards, and rules shadowed by an unconditional
 * rule of higher priority); this renders them: allow rules ORed, deny rules each ANDed as `NOT COALESCE(…,
 * FALSE)`. The COALESCE keeps SQL's three-valued logic in line with CASL's in-memory check: a deny
 * `{ region: 'APAC' }` does not match a row whose region is NULL, so that row stays visible in both.
 */
export function abilityToSql(
  ability: AppAbility,
  action: string,
  subjectType: string,
  columns: Readonly<Record<string, string>>,
): SqlScope {
  for (const column of Object.values(columns)) {
    if (!COLUMN.test(column)) throw new UnsupportedScopeError(`'${column}' is not a plain column name`);
  }

  const query = rulesToQuery(ability, action, subjectType, (rule): RuleFilter => {
    const { comparisons, problems } = parseConditions(rule.conditions, 'conditions', { templates: false });
    if (problems.length > 0) {
      const detail = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
      throw new UnsupportedScopeError(`${action} ${subjectType}: a rule cannot be expressed in SQL (${detail})`);
    }
    return { inverted: rule.inverted, comparisons };
  });
  if (query === null) return { kind: 'none' };

  const allows = query.$or ?? [];
  const denies = query.$and ?? [];
  if (allows.length === 0 && denies.length === 0) return { kind: 'all' };

  const render = (filter: RuleFilter, grouped: boolean): Sql => {
    const tests = filter.comparisons.map((comparison) => renderComparison(comparison, columns));
    if (tests.length === 0) return sql`TRUE`;
    return grouped && tests.length > 1 ? sql`(${sql.join(tests, ' AND ')})` : sql.join(tests, ' AND ');
  };

  // Every term is parenthesised or a function call, so the result can be ANDed into any WHERE clause.
  const terms: Sql[] = [];
  if (allows.length > 0)
    terms.push(
      sql`(${sql.join(
        allows.map((allow) => render(allow, allows.length > 1)),
        ' OR ',
      )})`,
    );
  for (const deny of denies) terms.push(sql`NOT COALESCE(${render(deny, false)}, FALSE)`);
  return { kind: 'filter', where: sql.join(terms, ' AND ') };
}

function renderComparison({ field, operator, values }: Comparison, columns: Readonly<Record<string, string>>): Sql {
  const name = Object.hasOwn(columns, field) ? columns[field] : undefined;
  if (name === undefined) {
    throw new UnsupportedScopeError(`condition field '${field}' has no column in this repository's map`);
  }
  const column = sql.ident(...name.split('.'));
  switch (operator) {
    case 'eq':
      return sql`${column} = ${values[0]}`;
    case 'ne':
      // MongoDB's (and CASL's) $ne also matches a missing value; `<>` would drop NULL rows.
      return sql`${column} IS DISTINCT FROM ${values[0]}`;
    case 'in':
      return sql`${column} IN (${sql.join(values)})`;
  }
}
