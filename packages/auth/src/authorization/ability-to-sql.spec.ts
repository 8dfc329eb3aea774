import { createMongoAbility } from '@casl/ability';
import { sql } from '@casebook/platform';
import { buildAbility } from './ability';
import { abilityToSql, type SqlScope, UnsupportedScopeError } from './ability-to-sql';
import { SEEDED_ROLES } from './seeded-roles';
import type { AppAbility, PermissionRule, RoleDefinition, SubjectAttributes } from './vocabulary';

const INSIGHT_COLUMNS = { region: 'i.region', ownerId: 'i.owner_id', classification: 'i.classification' };

/** The filter's text and values, or the kind when it is not a filter. */
const filterOf = (scope: SqlScope) =>
  scope.kind === 'filter' ? { text: scope.where.text, values: scope.where.values } : scope.kind;

const seeded = (roles: string[], overrides: Partial<SubjectAttributes> = {}) =>
  buildAbility(SEEDED_ROLES, { id: 'user-7', roles, region: 'EMEA', ...overrides });
const custom = (permissions: PermissionRule[], overrides: Partial<SubjectAttributes> = {}): AppAbility => {
  const catalog: RoleDefinition[] = [{ name: 'custom', permissions }];
  return buildAbility(catalog, { id: 'user-7', roles: ['custom'], region: 'EMEA', ...overrides });
};

describe('abilityToSql (Q1.3)', () => {
  it('When the principal is admin (manage all), then there is no restriction', () => {
    expect(abilityToSql(seeded(['admin']), 'read', 'Insight', INSIGHT_COLUMNS)).toEqual({ kind: 'all' });
  });

  it('When a guest lists insights, then nothing is allowed', () => {
    expect(abilityToSql(seeded(['guest']), 'read', 'Insight', INSIGHT_COLUMNS)).toEqual({ kind: 'none' });
    expect(abilityToSql(seeded(['guest']), 'query', 'Warehouse', INSIGHT_COLUMNS)).toEqual({ kind: 'none' });
  });

  it('When an EMEA analyst lists insights, then the region is a parameter, numbered where the fragment lands', () => {
    const scope = abilityToSql(seeded(['analyst']), 'read', 'Insight', INSIGHT_COLUMNS);
    expect(filterOf(scope)).toEqual({ text: '("i"."region" = $1)', values: ['EMEA'] });
    if (scope.kind === 'filter') {
      expect(scope.where.text).not.toContain('EMEA');
      expect(sql`SELECT 1 WHERE a = ${1} AND b = ${2} AND ${scope.where}`.text).toBe(
        'SELECT 1 WHERE a = $1 AND b = $2 AND ("i"."region" = $3)',
      );
    }
  });

  it('When a region value would be SQL, then it stays a parameter and never reaches the SQL text', () => {
    const region = "EMEA' OR '1'='1";
    const scope = abilityToSql(seeded(['analyst'], { region }), 'read', 'Insight', INSIGHT_COLUMNS);
    expect(filterOf(scope)).toEqual({ text: '("i"."region" = $1)', values: [region] });
  });

  it('When a senior analyst lists insights, then the inherited region rule is shadowed by read-all', () => {
    expect(abilityToSql(seeded(['senior_analyst']), 'read', 'Insight', INSIGHT_COLUMNS)).toEqual({ kind: 'all' });
  });

  it('When several allows and denies apply, then allows are ORed and each deny is ANDed as NOT', () => {
    const ability = custom([
      { action: 'read', subject: 'Insight', conditions: { region: '${user.region}' } },
      { action: 'read', subject: 'Insight', conditions: { ownerId: '${user.id}', classification: 'draft' } },
      { action: 'read', subject: 'Insight', conditions: { classification: 'restricted' }, inverted: true },
      { action: 'read', subject: 'Insight', conditions: { region: { $in: ['RU', 'KP'] } }, inverted: true },
    ]);
    expect(filterOf(abilityToSql(ability, 'read', 'Insight', INSIGHT_COLUMNS))).toEqual({
      text:
        '(("i"."owner_id" = $1 AND "i"."classification" = $2) OR "i"."region" = $3)' +
        ' AND NOT COALESCE("i"."region" IN ($4, $5), FALSE) AND NOT COALESCE("i"."classification" = $6, FALSE)',
      values: ['user-7', 'draft', 'EMEA', 'RU', 'KP', 'restricted'],
    });
  });

  it('When the allow is unconditional and a deny is conditional, then only the NOT terms remain', () => {
    const ability = custom([
      { action: 'manage', subject: 'all' },
      { action: 'read', subject: 'Insight', conditions: { ownerId: { $ne: '${user.id}' } }, inverted: true },
    ]);
    expect(filterOf(abilityToSql(ability, 'read', 'Insight', INSIGHT_COLUMNS))).toEqual({
      text: 'NOT COALESCE("i"."owner_id" IS DISTINCT FROM $1, FALSE)',
      values: ['user-7'],
    });
  });

  it('When an unconditional deny applies, then nothing is allowed whatever the allows', () => {
    const ability = custom([
      { action: 'read', subject: 'Insight', conditions: { region: 'EMEA' } },
      { action: 'read', subject: 'Insight', inverted: true },
    ]);
    expect(abilityToSql(ability, 'read', 'Insight', INSIGHT_COLUMNS)).toEqual({ kind: 'none' });
    expect(abilityToSql(seeded(['admin', 'suspended']), 'read', 'Insight', INSIGHT_COLUMNS)).toEqual({ kind: 'none' });
  });

  it('When a rule is about another action or subject, then it does not leak into the filter', () => {
    const ability = custom([
      { action: 'read', subject: 'Insight', conditions: { region: 'EMEA' } },
      { action: 'delete', subject: 'Insight', conditions: { classification: 'x' }, inverted: true },
      { action: 'read', subject: 'Message', inverted: true },
    ]);
    expect(filterOf(abilityToSql(ability, 'read', 'Insight', INSIGHT_COLUMNS))).toEqual({
      text: '("i"."region" = $1)',
      values: ['EMEA'],
    });
  });

  it('When a condition field has no column in the map, then it throws instead of dropping the condition', () => {
    const ability = seeded(['analyst']);
    expect(() => abilityToSql(ability, 'read', 'Insight', { ownerId: 'owner_id' })).toThrow(UnsupportedScopeError);
    expect(() => abilityToSql(ability, 'read', 'Insight', { ownerId: 'owner_id' })).toThrow(/'region' has no column/);
  });

  it('When a deny field has no column, then it throws too (a skipped deny would widen access)', () => {
    const ability = custom([
      { action: 'read', subject: 'Insight' },
      { action: 'read', subject: 'Insight', conditions: { secret: true }, inverted: true },
    ]);
    expect(() => abilityToSql(ability, 'read', 'Insight', INSIGHT_COLUMNS)).toThrow(/'secret' has no column/);
  });

  it('When an ability built elsewhere holds an operator outside the grammar, then it throws', () => {
    const foreign = createMongoAbility<AppAbility>([
      { action: 'read', subject: 'Insight', conditions: { region: { $regex: '^E' } } },
    ]);
    expect(() => abilityToSql(foreign, 'read', 'Insight', INSIGHT_COLUMNS)).toThrow(/\$regex/);
  });

  it('When a column name is not a plain lower-case identifier, then it throws', () => {
    const ability = seeded(['analyst']);
    expect(() => abilityToSql(ability, 'read', 'Insight', { region: 'region; DROP TABLE x' })).toThrow(
      UnsupportedScopeError,
    );
    expect(() => abilityToSql(ability, 'read', 'Insight', { region: 'Region' })).toThrow(UnsupportedScopeError);
  });
});
