import { queryRows, sql } from '@casebook/platform';
import { testDataSource, useTestEnvironment } from '@casebook/testing';
import type { DataSource } from 'typeorm';
import { asSubject, buildAbility } from './ability';
import { abilityToSql } from './ability-to-sql';
import { SEEDED_ROLES } from './seeded-roles';
import type { RoleDefinition, SubjectAttributes } from './vocabulary';

/**
 * Q1.3: the SQL filter and CASL's in-memory check must agree row for row, or a list endpoint would show
 * rows that the item endpoint refuses (or hide rows it allows). Postgres evaluates the generated filter
 * over a fixed set of rows, NULLs included, and the result is compared with `ability.can` on each row.
 */

interface InsightRow {
  id: string;
  region: string | null;
  owner_id: string | null;
  classification: string | null;
  priority: number | null;
  archived: boolean | null;
}

const COLUMNS = {
  region: 'i.region',
  ownerId: 'i.owner_id',
  classification: 'i.classification',
  priority: 'i.priority',
  archived: 'i.archived',
};

const regions = ['EMEA', 'AMER', 'APAC', null];
const owners = ['user-7', 'user-8', null];
const classifications = ['public', 'restricted', null];
const ROWS: InsightRow[] = regions.flatMap((region, r) =>
  owners.flatMap((owner_id, o) =>
    classifications.map((classification, c) => ({
      id: `row-${r}${o}${c}`,
      region,
      owner_id,
      classification,
      priority: c === 2 ? null : c + r,
      archived: o === 2 ? null : (r + c) % 2 === 0,
    })),
  ),
);

const CUSTOM: RoleDefinition[] = [
  {
    name: 'mixed',
    permissions: [
      { action: 'read', subject: 'Insight', conditions: { region: '${user.region}', archived: false } },
      { action: 'read', subject: 'Insight', conditions: { ownerId: '${user.id}' } },
      { action: 'read', subject: 'Insight', conditions: { priority: { $in: [3, 4] } } },
      { action: 'read', subject: 'Insight', conditions: { classification: 'restricted' }, inverted: true },
      { action: 'read', subject: 'Insight', conditions: { region: { $ne: 'EMEA' }, archived: true }, inverted: true },
    ],
  },
  {
    name: 'all_but',
    permissions: [
      { action: 'manage', subject: 'all' },
      {
        action: 'read',
        subject: 'Insight',
        conditions: { region: { $in: ['APAC', '${user.region}'] } },
        inverted: true,
      },
      { action: 'read', subject: 'Insight', conditions: { ownerId: { $eq: 'user-8' } }, inverted: true },
    ],
  },
  {
    // $ne matches a missing (NULL) value in CASL, as in MongoDB; SQL's `<>` would not.
    name: 'not_public',
    permissions: [{ action: 'read', subject: 'Insight', conditions: { classification: { $ne: 'public' } } }],
  },
];
const catalog = [...SEEDED_ROLES, ...CUSTOM];

const cases: [string, Partial<SubjectAttributes>][] = [
  ['admin', { roles: ['admin'] }],
  ['guest', { roles: ['guest'] }],
  ['EMEA analyst', { roles: ['analyst'] }],
  ['AMER analyst', { roles: ['analyst'], region: 'AMER' }],
  ['analyst without a region', { roles: ['analyst'], region: undefined }],
  ['senior analyst', { roles: ['senior_analyst'] }],
  ['suspended admin', { roles: ['suspended', 'admin'] }],
  ['allows ORed, denies over NULLs', { roles: ['mixed'] }],
  ['everything but a few', { roles: ['all_but'] }],
  ['not public, NULLs included', { roles: ['not_public'] }],
  ['everything but a few, no region', { roles: ['all_but'], region: undefined }],
];

describe('abilityToSql against Postgres', () => {
  const env = useTestEnvironment('chatbot-api');
  let db: DataSource;

  beforeAll(async () => {
    db = await testDataSource(env.database.url).initialize();
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it.each(cases)('When the principal is %s, then Postgres returns exactly the rows CASL allows', async (_, who) => {
    const principal: SubjectAttributes = { id: 'user-7', roles: [], region: 'EMEA', ...who };
    const ability = buildAbility(catalog, principal);
    const expected = ROWS.filter((row) =>
      ability.can('read', asSubject('Insight', { ...row, ownerId: row.owner_id })),
    ).map((row) => row.id);

    const scope = abilityToSql(ability, 'read', 'Insight', COLUMNS);
    let returned: string[] = [];
    if (scope.kind === 'filter') {
      // A filter that keeps everything or nothing would not show that rows are actually told apart.
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(ROWS.length);
    }
    if (scope.kind !== 'none') {
      const where = scope.kind === 'filter' ? scope.where : sql`TRUE`;
      const rows = await queryRows<{ id: string }>(
        db,
        sql`SELECT i.id FROM jsonb_to_recordset(${JSON.stringify(ROWS)}::jsonb) AS i(id text, region text, owner_id text,
              classification text, priority int, archived boolean) WHERE ${where} ORDER BY i.id`,
      );
      returned = rows.map((row) => row.id);
    }
    expect(returned).toEqual(expected.sort());
  });

  it('When the cases run, then they cover all three kinds of scope and both empty and partial results', () => {
    const kinds = cases.map(([, who]) => {
      const ability = buildAbility(catalog, { id: 'user-7', roles: [], region: 'EMEA', ...who });
      return abilityToSql(ability, 'read', 'Insight', COLUMNS).kind;
    });
    expect(new Set(kinds)).toEqual(new Set(['all', 'none', 'filter']));
  });
});
