import { createMongoAbility, subject as setSubjectType, type RawRuleOf } from '@casl/ability';
import { stableKey, fillTemplates } from './conditions';
import { expandRoles, indexRoles } from './role-closure';
import type { AppAbility, PermissionRule, RoleDefinition, SubjectAttributes, SubjectName } from './vocabulary';

type AppRawRule = RawRuleOf<AppAbility>;

/**
 * Q1.1/Q1.2/Q1.3: the principal's role closure as one CASL ability.
 *
 * Precedence (Q1.2): deny overrides allow, whichever roles they come from and whatever order the roles
 * were granted in. CASL lets the rule defined last win, so every allow rule goes first and every deny
 * rule after them; the grant order then cannot change a decision. This is the AWS IAM rule ("an explicit
 * deny always wins"), chosen over "most specific role wins" because it needs no ranking of roles and a
 * deny (legal hold, suspension, region embargo) can never be undone by granting one more role.
 *
 * ABAC (Q1.3): condition templates are filled from the principal. A rule whose template refers to an
 * attribute the principal lacks fails closed: an allow rule is dropped (grants nothing), a deny rule
 * loses its conditions (denies every subject of its action and type).
 */
export function buildAbility(catalog: readonly RoleDefinition[], principal: SubjectAttributes): AppAbility {
  const byName = indexRoles(catalog);
  const allows: AppRawRule[] = [];
  const denies: AppRawRule[] = [];

  for (const roleName of expandRoles(catalog, principal.roles)) {
    for (const permission of byName.get(roleName)?.permissions ?? []) {
      const conditions = fillTemplates(permission.conditions, principal);
      const rule: AppRawRule = { action: permission.action, subject: permission.subject };
      if (permission.reason) rule.reason = permission.reason;
      if (permission.inverted) {
        rule.inverted = true;
        if (conditions) rule.conditions = conditions;
        denies.push(rule);
      } else if (conditions !== undefined) {
        if (conditions) rule.conditions = conditions;
        allows.push(rule);
      }
    }
  }
  return createMongoAbility<AppAbility>([...allows, ...denies]);
}

/**
 * For `GET /v1/me`: the effective rules, inherited ones included, with templates already filled in, each
 * once (two roles granting the same rule list it once). Allow rules first, then deny rules.
 */
export function describeAbility(ability: AppAbility): PermissionRule[] {
  const seen = new Set<string>();
  const described: PermissionRule[] = [];
  for (const rule of ability.rules) {
    const entry: PermissionRule = { action: String(rule.action), subject: String(rule.subject) };
    if (rule.conditions) entry.conditions = rule.conditions as Record<string, unknown>;
    if (rule.inverted) entry.inverted = true;
    if (rule.reason) entry.reason = rule.reason;
    const key = stableKey(entry);
    if (seen.has(key)) continue;
    seen.add(key);
    described.push(entry);
  }
  return described;
}

/**
 * Tags a plain object (a row, a DTO) with its subject type so conditions are checked against it:
 * `ability.can('read', asSubject('Insight', row))`. Without the tag CASL sees the type `Object` and no rule
 * applies. The tag is a non-enumerable property, so the object serialises unchanged.
 */
export function asSubject<T extends object>(type: SubjectName, object: T): T {
  return setSubjectType(type, object) as T;
}
