import { asSubject, buildAbility, describeAbility } from './ability';
import { expandRoles } from './role-closure';
import { SEEDED_ROLES } from './seeded-roles';
import type { AppAbility, ConditionValue, PermissionRule, SubjectAttributes, SubjectName } from './vocabulary';

const ability = (roles: string[], overrides: Partial<SubjectAttributes> = {}): AppAbility =>
  buildAbility(SEEDED_ROLES, { id: 'user-1', roles, region: 'EMEA', ...overrides });

/** An instance of the rule's subject that satisfies its (filled) conditions. */
function matchingSubject(rule: PermissionRule): object {
  const attributes: Record<string, ConditionValue> = {};
  for (const [field, test] of Object.entries(rule.conditions ?? {})) {
    if (typeof test !== 'object' || test === null) attributes[field] = test as ConditionValue;
    else if ('$eq' in test) attributes[field] = test.$eq as ConditionValue;
    else if ('$in' in test) attributes[field] = (test.$in as ConditionValue[])[0]!;
    else if ('$ne' in test) attributes[field] = `not-${String(test.$ne)}`;
  }
  return asSubject(rule.subject as SubjectName, attributes);
}

describe('SEEDED_ROLES (Q1.1)', () => {
  it('When an analyst is granted, then the guest rules come with it, and senior_analyst brings both', () => {
    expect(expandRoles(SEEDED_ROLES, ['senior_analyst'])).toEqual(['senior_analyst', 'analyst', 'guest']);
  });

  it('When every analyst rule is replayed for a senior analyst, then each one is allowed too', () => {
    const analystRules = describeAbility(ability(['analyst'])).filter((rule) => !rule.inverted);
    const senior = ability(['senior_analyst']);
    expect(analystRules.length).toBeGreaterThanOrEqual(10);
    for (const rule of analystRules) {
      expect([rule, ability(['analyst']).can(rule.action, matchingSubject(rule))]).toEqual([rule, true]);
      expect([rule, senior.can(rule.action, matchingSubject(rule))]).toEqual([rule, true]);
      expect([rule, senior.can(rule.action, rule.subject)]).toEqual([rule, true]);
    }
  });

  it('When a senior analyst reads another region, then it is allowed where the analyst is refused', () => {
    const amerInsight = () => asSubject('Insight', { region: 'AMER' });
    expect(ability(['analyst']).can('read', amerInsight())).toBe(false);
    expect(ability(['senior_analyst']).can('read', amerInsight())).toBe(true);
    expect(ability(['senior_analyst']).can('export', amerInsight())).toBe(false);
    expect(ability(['senior_analyst']).can('export', asSubject('Insight', { region: 'EMEA' }))).toBe(true);
  });

  it('When a guest asks for the warehouse or insights, then both are refused; their own chats are not', () => {
    const guest = ability(['guest']);
    expect(guest.can('query', 'Warehouse')).toBe(false);
    expect(guest.can('read', 'Insight')).toBe(false);
    expect(guest.can('read', asSubject('Conversation', { ownerId: 'user-1' }))).toBe(true);
    expect(guest.can('read', asSubject('Conversation', { ownerId: 'user-2' }))).toBe(false);
    expect(guest.can('update', asSubject('Conversation', { ownerId: 'user-1' }))).toBe(false);
  });

  it('When an analyst is also an auditor, then both roles apply together (Q1.2: roles add up)', () => {
    const both = ability(['analyst', 'auditor']);
    expect(both.can('read', 'AuditEvent') && both.can('read', 'Checkpoint')).toBe(true);
    expect(both.can('query', asSubject('Warehouse', { region: 'EMEA' }))).toBe(true);
    expect(ability(['analyst']).can('read', 'AuditEvent')).toBe(false);
    expect(ability(['auditor']).can('query', 'Warehouse')).toBe(false);
  });

  it('When a suspended admin acts, then the deny wins over manage-all (Q1.2)', () => {
    const suspended = ability(['admin', 'suspended']);
    expect(suspended.can('read', 'User')).toBe(false);
    expect(suspended.relevantRuleFor('read', 'User')?.reason).toBe('The account is suspended.');
    expect(ability(['admin']).can('erase', 'User')).toBe(true);
  });

  it('When the effective permissions of a senior analyst are described, then inherited rules are listed filled', () => {
    const described = describeAbility(ability(['senior_analyst'], { id: 'user-9', region: 'APAC' }));
    expect(described).toEqual(
      expect.arrayContaining([
        { action: 'read', subject: 'Insight' },
        { action: 'query', subject: 'Warehouse', conditions: { region: 'APAC' } },
        { action: 'delete', subject: 'Conversation', conditions: { ownerId: 'user-9' } },
        { action: 'read', subject: 'Intent' },
        { action: 'erase', subject: 'User', conditions: { id: 'user-9' } },
      ]),
    );
    expect(JSON.stringify(described)).not.toContain('${');
  });
});
