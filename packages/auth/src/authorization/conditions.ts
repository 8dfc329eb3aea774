import type { FieldError } from '@casebook/platform';
import type { ConditionValue, RuleConditions, SubjectAttributes } from './vocabulary';

/**
 * The condition grammar, checked in one place for three readers: `validateRole` (422 on bad input),
 * `buildAbility` (fill templates) and `abilityToSql` (render). Keeping it this small is what lets every
 * rule that CASL evaluates in memory also be evaluated by Postgres with the same answer.
 */

/** Condition fields are attribute names of the subject, never operators or paths. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const TEMPLATE = /^\$\{([A-Za-z_.]+)\}$/;
const OPERATORS = new Set(['$eq', '$ne', '$in']);
const MAX_IN_VALUES = 100;
const MAX_STRING_LENGTH = 256;

/** Q1.3: the principal attributes a condition may refer to, e.g. `{ region: '${user.region}' }`. */
export const TEMPLATE_VARIABLES: Readonly<
  Record<string, (principal: SubjectAttributes) => ConditionValue | undefined>
> = {
  'user.id': (principal) => principal.id || undefined,
  'user.region': (principal) => principal.region || undefined,
};

export type ComparisonOperator = 'eq' | 'ne' | 'in';

/** One field test; `values` has one element for `eq` and `ne`. Several comparisons of a rule are ANDed. */
export interface Comparison {
  field: string;
  operator: ComparisonOperator;
  values: ConditionValue[];
}

interface Parsed {
  comparisons: Comparison[];
  problems: FieldError[];
}

/**
 * Parses conditions against the grammar. `path` prefixes the field of each problem
 * (`permissions.2.conditions.region.$in.0`). Null, undefined and `{}` mean "no conditions".
 */
export function parseConditions(conditions: unknown, path: string, options: { templates: boolean }): Parsed {
  const comparisons: Comparison[] = [];
  const problems: FieldError[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });

  if (conditions === null || conditions === undefined) return { comparisons, problems };
  if (!isPlainObject(conditions)) {
    problem(path, 'conditions must be an object of field: value pairs');
    return { comparisons, problems };
  }

  const scalar = (value: unknown, at: string): value is ConditionValue => {
    const why = scalarProblem(value, options.templates);
    if (why) problem(at, why);
    return why === undefined;
  };

  for (const [field, test] of Object.entries(conditions)) {
    const at = `${path}.${field}`;
    if (field.startsWith('$')) {
      problem(at, `operator '${field}' is not allowed at the top level; only field conditions are`);
      continue;
    }
    if (!FIELD_NAME.test(field)) {
      problem(at, 'a condition field must be a plain attribute name (letters, digits, underscore)');
      continue;
    }
    if (!isPlainObject(test)) {
      if (scalar(test, at)) comparisons.push({ field, operator: 'eq', values: [test] });
      continue;
    }
    const operators = Object.entries(test);
    if (operators.length === 0) problem(at, 'an operator object needs at least one of $eq, $ne, $in');
    for (const [operator, operand] of operators) {
      const opAt = `${at}.${operator}`;
      if (!OPERATORS.has(operator)) {
        problem(opAt, `operator '${operator}' is not allowed; use plain equality, $eq, $ne or $in`);
      } else if (operator === '$in') {
        if (!Array.isArray(operand) || operand.length === 0 || operand.length > MAX_IN_VALUES) {
          problem(opAt, `$in takes a list of 1 to ${MAX_IN_VALUES} values`);
          continue;
        }
        const values = operand.filter((value, i) => scalar(value, `${opAt}.${i}`));
        if (values.length === operand.length) comparisons.push({ field, operator: 'in', values });
      } else if (scalar(operand, opAt)) {
        comparisons.push({ field, operator: operator === '$eq' ? 'eq' : 'ne', values: [operand] });
      }
    }
  }
  return { comparisons, problems };
}

function scalarProblem(value: unknown, templates: boolean): string | undefined {
  if (typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'numbers must be finite';
  if (typeof value !== 'string') return 'values must be strings, numbers or booleans';
  if (value.length > MAX_STRING_LENGTH) return `strings are limited to ${MAX_STRING_LENGTH} characters`;
  if (!value.includes('${')) return undefined;
  const variable = TEMPLATE.exec(value)?.[1];
  if (variable === undefined || !(variable in TEMPLATE_VARIABLES)) {
    return `a template must be exactly one of ${Object.keys(TEMPLATE_VARIABLES)
      .map((name) => '${' + name + '}')
      .join(', ')}`;
  }
  return templates ? undefined : `template '${value}' was not filled from the principal`;
}

/**
 * Replaces every template with the principal's attribute. Returns `undefined` when the conditions are
 * outside the grammar or refer to an attribute the principal lacks: the caller must then make the rule
 * fail closed, because a CASL condition `{ region: undefined }` would match every subject without a
 * region (Q1.3: a missing attribute must never widen access).
 */
export function fillTemplates(
  conditions: Record<string, unknown> | null | undefined,
  principal: SubjectAttributes,
): RuleConditions | null | undefined {
  const { comparisons, problems } = parseConditions(conditions, 'conditions', { templates: true });
  if (problems.length > 0) return undefined;
  if (comparisons.length === 0 || !conditions) return null;

  let unresolved = false;
  const resolve = (value: ConditionValue): ConditionValue => {
    const variable = typeof value === 'string' ? TEMPLATE.exec(value)?.[1] : undefined;
    if (variable === undefined) return value;
    const actual = TEMPLATE_VARIABLES[variable]?.(principal);
    if (actual === undefined) unresolved = true;
    return actual ?? value;
  };
  // The grammar was checked above, so every leaf is a scalar or a list of scalars.
  const filled: RuleConditions = {};
  for (const [field, test] of Object.entries(conditions)) {
    filled[field] = isPlainObject(test)
      ? Object.fromEntries(
          Object.entries(test).map(([op, operand]) => [
            op,
            Array.isArray(operand)
              ? operand.map((v) => resolve(v as ConditionValue))
              : resolve(operand as ConditionValue),
          ]),
        )
      : resolve(test as ConditionValue);
  }
  return unresolved ? undefined : filled;
}

/** A stable text form of a value (key order does not matter), for comparing conditions or whole rules. */
export function stableKey(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, part: unknown) =>
    isPlainObject(part) ? Object.fromEntries(Object.entries(part).sort(([a], [b]) => a.localeCompare(b))) : part,
  );
}

export function hasConditions(conditions: unknown): boolean {
  return isPlainObject(conditions) && Object.keys(conditions).length > 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
