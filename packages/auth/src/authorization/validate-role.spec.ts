import { SEEDED_ROLES } from './seeded-roles';
import { MAX_ROLE_DEPTH, validateRole } from './validate-role';
import type { PermissionRule, RoleDefinition } from './vocabulary';

const role = (overrides: Partial<RoleDefinition> = {}): RoleDefinition => ({
  name: 'custom',
  parent: null,
  permissions: [{ action: 'read', subject: 'Insight' }],
  ...overrides,
});
const fields = (problems: { field: string }[]) => problems.map((p) => p.field);
const withRule = (rule: Partial<PermissionRule> & Record<string, unknown>) =>
  role({ permissions: [{ action: 'read', subject: 'Insight', ...rule }] });

describe('validateRole', () => {
  it('When every seeded role is checked against the seeded catalog, then none has a problem', () => {
    for (const seeded of SEEDED_ROLES) expect(validateRole(seeded, SEEDED_ROLES)).toEqual([]);
  });

  describe('contradictions', () => {
    it('When a role allows and denies the same action and subject without conditions, then it is rejected', () => {
      const problems = validateRole(
        role({
          permissions: [
            { action: 'read', subject: 'Intent' },
            { action: 'delete', subject: 'Conversation' },
            { action: 'delete', subject: 'Conversation', inverted: true },
          ],
        }),
        SEEDED_ROLES,
      );
      expect(problems).toEqual([
        { field: 'permissions.2', message: expect.stringMatching(/contradicts permissions\.1/) },
      ]);
    });

    it('When an unconditional deny covers an allow through manage or all, then it is rejected', () => {
      const permissions: PermissionRule[] = [
        { action: 'read', subject: 'Insight', conditions: { region: '${user.region}' } },
        { action: 'manage', subject: 'all', inverted: true },
      ];
      expect(fields(validateRole(role({ permissions }), []))).toEqual(['permissions.1']);
    });

    it('When allow and deny carry the very same conditions, then it is rejected', () => {
      const conditions = { region: 'APAC', ownerId: '${user.id}' };
      const permissions: PermissionRule[] = [
        { action: 'read', subject: 'Insight', conditions },
        { action: 'read', subject: 'Insight', conditions: { ownerId: '${user.id}', region: 'APAC' }, inverted: true },
      ];
      expect(fields(validateRole(role({ permissions }), []))).toEqual(['permissions.1']);
    });

    it('When a deny carves a conditional exception out of a broad allow, then the role is accepted', () => {
      const permissions: PermissionRule[] = [
        { action: 'manage', subject: 'all' },
        { action: 'read', subject: 'Insight', conditions: { region: 'APAC' }, inverted: true },
        { action: 'erase', subject: 'User', inverted: true },
      ];
      expect(validateRole(role({ permissions }), [])).toEqual([]);
    });

    it('When a child denies what its parent allows, then the role is accepted (subtraction is allowed)', () => {
      const child = role({
        name: 'analyst_no_delete',
        parent: 'analyst',
        permissions: [{ action: 'delete', subject: 'Conversation', inverted: true }],
      });
      expect(validateRole(child, SEEDED_ROLES)).toEqual([]);
    });
  });

  describe('parent chain', () => {
    it('When a role is its own parent, then it is rejected', () => {
      expect(validateRole(role({ name: 'loop', parent: 'loop' }), [])).toEqual([
        { field: 'parent', message: 'a role cannot be its own parent' },
      ]);
    });

    it('When A→B→A would be created, then it is rejected naming the loop', () => {
      const catalog = [role({ name: 'a', parent: null }), role({ name: 'b', parent: 'a' })];
      const problems = validateRole(role({ name: 'a', parent: 'b' }), catalog);
      expect(problems).toEqual([{ field: 'parent', message: 'the parent chain loops: a → b → a' }]);
    });

    it('When a longer chain comes back to the role, then it is rejected', () => {
      const catalog = [role({ name: 'a' }), role({ name: 'b', parent: 'a' }), role({ name: 'c', parent: 'b' })];
      expect(fields(validateRole(role({ name: 'a', parent: 'c' }), catalog))).toEqual(['parent']);
    });

    it('When the parent does not exist, then it is rejected', () => {
      expect(validateRole(role({ parent: 'ghost' }), SEEDED_ROLES)).toEqual([
        { field: 'parent', message: "unknown parent role 'ghost'" },
      ]);
    });

    it('When the hierarchy would be deeper than the limit, then it is rejected', () => {
      const catalog = Array.from({ length: MAX_ROLE_DEPTH }, (_, i) =>
        role({ name: `level_${i}`, parent: i === 0 ? null : `level_${i - 1}` }),
      );
      const deepest = role({ name: 'too_deep', parent: `level_${MAX_ROLE_DEPTH - 1}` });
      expect(fields(validateRole(deepest, catalog))).toEqual(['parent']);
      expect(validateRole(role({ name: 'deep_enough', parent: `level_${MAX_ROLE_DEPTH - 2}` }), catalog)).toEqual([]);
    });

    it('When an existing role is updated without changing its valid parent, then it is accepted', () => {
      const analyst = SEEDED_ROLES.find((r) => r.name === 'analyst')!;
      expect(validateRole({ ...analyst, description: 'renamed' }, SEEDED_ROLES)).toEqual([]);
    });
  });

  describe('malformed rules', () => {
    it.each<[string, Record<string, unknown>, string]>([
      ['a $where clause', { conditions: { $where: 'this.region == "EMEA"' } }, 'permissions.0.conditions.$where'],
      ['a top-level $or', { conditions: { $or: [{ region: 'EMEA' }] } }, 'permissions.0.conditions.$or'],
      ['a regex operator', { conditions: { region: { $regex: '^E' } } }, 'permissions.0.conditions.region.$regex'],
      ['a RegExp value', { conditions: { region: /^E/ } }, 'permissions.0.conditions.region'],
      ['a function value', { conditions: { region: () => 'EMEA' } }, 'permissions.0.conditions.region'],
      ['a null value', { conditions: { region: null } }, 'permissions.0.conditions.region'],
      ['a nested object', { conditions: { owner: { id: 'x' } } }, 'permissions.0.conditions.owner.id'],
      ['a dotted path', { conditions: { 'owner.id': 'x' } }, 'permissions.0.conditions.owner.id'],
      ['an empty $in', { conditions: { region: { $in: [] } } }, 'permissions.0.conditions.region.$in'],
      ['an object in $in', { conditions: { region: { $in: ['EMEA', {}] } } }, 'permissions.0.conditions.region.$in.1'],
      ['an unknown template', { conditions: { region: '${user.email}' } }, 'permissions.0.conditions.region'],
      ['a template inside text', { conditions: { region: 'x-${user.id}' } }, 'permissions.0.conditions.region'],
      ['conditions as a list', { conditions: [{ region: 'EMEA' }] }, 'permissions.0.conditions'],
      ['an empty action', { action: '' }, 'permissions.0.action'],
      ['an unknown action', { action: 'obliterate' }, 'permissions.0.action'],
      ['an empty subject', { subject: '' }, 'permissions.0.subject'],
      ['an unknown subject', { subject: 'Insights' }, 'permissions.0.subject'],
      ['a non-boolean inverted', { inverted: 'yes' }, 'permissions.0.inverted'],
    ])('When a rule has %s, then the problem is reported on its field', (_, rule, field) => {
      expect(fields(validateRole(withRule(rule), SEEDED_ROLES))).toEqual([field]);
    });

    it('When conditions use only equality, $eq, $ne, $in and known templates, then the rule is accepted', () => {
      const conditions = {
        region: { $in: ['${user.region}', 'GLOBAL'] },
        ownerId: '${user.id}',
        archived: false,
        priority: { $ne: 3 },
        kind: { $eq: 'report' },
      };
      expect(validateRole(withRule({ conditions }), SEEDED_ROLES)).toEqual([]);
    });

    it('When the name is malformed, then it is reported', () => {
      expect(fields(validateRole(role({ name: 'Senior Analyst' }), []))).toEqual(['name']);
    });
  });
});
