import { asSubject, buildAbility, describeAbility } from './ability';
import type { PermissionRule, RoleDefinition, SubjectAttributes } from './vocabulary';

const principal = (overrides: Partial<SubjectAttributes> = {}): SubjectAttributes => ({
  id: 'user-1',
  roles: [],
  region: 'EMEA',
  ...overrides,
});
const role = (name: string, permissions: PermissionRule[], parent?: string): RoleDefinition => ({
  name,
  parent,
  permissions,
});
const insight = (region: string | null, extra: Record<string, unknown> = {}) =>
  asSubject('Insight', { id: 'i-1', region, ...extra });

describe('buildAbility: deny overrides allow (Q1.2)', () => {
  const catalog = [
    role('reader', [{ action: 'read', subject: 'Insight' }]),
    role('apac_embargo', [
      { action: 'read', subject: 'Insight', conditions: { region: 'APAC' }, inverted: true, reason: 'Embargo' },
    ]),
    role('suspended', [{ action: 'manage', subject: 'all', inverted: true }]),
    role('admin', [{ action: 'manage', subject: 'all' }]),
  ];

  it.each([[['reader', 'apac_embargo']], [['apac_embargo', 'reader']]])(
    'When the roles are granted in the order %j, then a deny in one role beats the allow of the other',
    (roles) => {
      const ability = buildAbility(catalog, principal({ roles }));
      expect(ability.can('read', insight('APAC'))).toBe(false);
      expect(ability.can('read', insight('EMEA'))).toBe(true);
      expect(ability.relevantRuleFor('read', insight('APAC'))?.reason).toBe('Embargo');
    },
  );

  it.each([[['admin', 'suspended']], [['suspended', 'admin']]])(
    'When an unconditional deny of everything meets manage-all (%j), then nothing is allowed',
    (roles) => {
      const ability = buildAbility(catalog, principal({ roles }));
      expect(ability.can('read', 'Insight')).toBe(false);
      expect(ability.can('delete', 'User')).toBe(false);
    },
  );

  it('When the deny sits in a parent and the allow in the child, then the deny still wins', () => {
    const inherited = [
      role('no_delete', [{ action: 'delete', subject: 'Conversation', inverted: true }]),
      role('editor', [{ action: 'manage', subject: 'Conversation' }], 'no_delete'),
    ];
    const ability = buildAbility(inherited, principal({ roles: ['editor'] }));
    expect(ability.can('update', 'Conversation')).toBe(true);
    expect(ability.can('delete', 'Conversation')).toBe(false);
  });
});

describe('buildAbility: roles combine', () => {
  it('When a user holds two unrelated roles, then the ability is the union of both', () => {
    const catalog = [
      role('chat', [{ action: 'create', subject: 'Conversation' }]),
      role('audit', [{ action: 'read', subject: 'AuditEvent' }]),
    ];
    const both = buildAbility(catalog, principal({ roles: ['chat', 'audit'] }));
    const chatOnly = buildAbility(catalog, principal({ roles: ['chat'] }));
    expect(both.can('create', 'Conversation') && both.can('read', 'AuditEvent')).toBe(true);
    expect(chatOnly.can('read', 'AuditEvent')).toBe(false);
  });

  it('When a user holds no known role, then nothing is allowed', () => {
    const ability = buildAbility([role('admin', [{ action: 'manage', subject: 'all' }])], principal({ roles: ['x'] }));
    expect(ability.can('read', 'Intent')).toBe(false);
    expect(ability.rules).toEqual([]);
  });
});

describe('buildAbility: conditions filled from the principal (Q1.3)', () => {
  const catalog = [
    role('regional', [
      { action: 'read', subject: 'Insight', conditions: { region: '${user.region}' } },
      { action: 'update', subject: 'Conversation', conditions: { ownerId: '${user.id}' } },
      { action: 'read', subject: 'Message', conditions: { region: { $in: ['${user.region}', 'GLOBAL'] } } },
    ]),
    role('own_region_locked', [
      { action: 'delete', subject: 'Insight' },
      { action: 'delete', subject: 'Insight', conditions: { region: { $ne: '${user.region}' } }, inverted: true },
    ]),
  ];

  it('When an EMEA analyst reads insights, then EMEA ones are allowed and AMER ones are not', () => {
    const ability = buildAbility(catalog, principal({ roles: ['regional'], region: 'EMEA' }));
    expect(ability.can('read', insight('EMEA'))).toBe(true);
    expect(ability.can('read', insight('AMER'))).toBe(false);
    expect(ability.can('read', insight(null))).toBe(false);
  });

  it('When the principal has no region, then the region rule matches nothing, not every region-less row', () => {
    for (const region of [undefined, null, '']) {
      const ability = buildAbility(catalog, principal({ roles: ['regional'], region }));
      expect(ability.can('read', insight('EMEA'))).toBe(false);
      expect(ability.can('read', asSubject('Insight', { id: 'no-region-field' }))).toBe(false);
      expect(ability.can('read', 'Insight')).toBe(false);
      // Rules without the missing attribute still apply.
      expect(ability.can('update', asSubject('Conversation', { ownerId: 'user-1' }))).toBe(true);
    }
  });

  it('When a deny rule refers to an attribute the principal lacks, then it fails closed and denies all', () => {
    const withRegion = buildAbility(catalog, principal({ roles: ['own_region_locked'], region: 'EMEA' }));
    expect(withRegion.can('delete', insight('EMEA'))).toBe(true);
    expect(withRegion.can('delete', insight('AMER'))).toBe(false);

    const withoutRegion = buildAbility(catalog, principal({ roles: ['own_region_locked'], region: undefined }));
    expect(withoutRegion.can('delete', insight('EMEA'))).toBe(false);
  });

  it('When a rule is owner-scoped, then only the owner matches', () => {
    const ability = buildAbility(catalog, principal({ roles: ['regional'], id: 'user-1' }));
    expect(ability.can('update', asSubject('Conversation', { ownerId: 'user-1' }))).toBe(true);
    expect(ability.can('update', asSubject('Conversation', { ownerId: 'user-2' }))).toBe(false);
  });

  it('When a template sits inside $in, then it is filled alongside the literal values', () => {
    const ability = buildAbility(catalog, principal({ roles: ['regional'], region: 'AMER' }));
    expect(ability.can('read', asSubject('Message', { region: 'AMER' }))).toBe(true);
    expect(ability.can('read', asSubject('Message', { region: 'GLOBAL' }))).toBe(true);
    expect(ability.can('read', asSubject('Message', { region: 'EMEA' }))).toBe(false);
  });

  it('When a stored rule has conditions outside the grammar, then an allow grants nothing and a deny denies all', () => {
    const broken = [
      role('bad_allow', [{ action: 'read', subject: 'Insight', conditions: { $where: 'true' } }]),
      role('bad_deny', [{ action: 'read', subject: 'Intent', conditions: { name: { $regex: '.' } }, inverted: true }]),
      role('intents', [{ action: 'read', subject: 'Intent' }]),
    ];
    const ability = buildAbility(broken, principal({ roles: ['bad_allow', 'bad_deny', 'intents'] }));
    expect(ability.can('read', 'Insight')).toBe(false);
    expect(ability.can('read', asSubject('Intent', { name: 'sales' }))).toBe(false);
  });
});

describe('describeAbility', () => {
  it('When a role inherits, then the inherited rules are listed, filled, once each, allows before denies', () => {
    const catalog = [
      role('base', [
        { action: 'read', subject: 'Intent' },
        { action: 'read', subject: 'Insight', conditions: { region: '${user.region}' } },
      ]),
      role('child', [{ action: 'export', subject: 'Insight', inverted: true, reason: 'No exports' }], 'base'),
      role('also_intents', [{ action: 'read', subject: 'Intent' }]),
    ];
    const described = describeAbility(
      buildAbility(catalog, principal({ roles: ['child', 'also_intents'], region: 'EMEA' })),
    );
    expect(described).toEqual([
      { action: 'read', subject: 'Intent' },
      { action: 'read', subject: 'Insight', conditions: { region: 'EMEA' } },
      { action: 'export', subject: 'Insight', inverted: true, reason: 'No exports' },
    ]);
  });
});
