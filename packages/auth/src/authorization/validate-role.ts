import type { FieldError } from '@casebook/platform';
import { stableKey, hasConditions, parseConditions } from './conditions';
import { indexRoles } from './role-closure';
import { ACTIONS, SUBJECTS, type PermissionRule, type RoleDefinition } from './vocabulary';

const ROLE_NAME = /^[a-z][a-z0-9_]{0,62}$/;
/** Deeper hierarchies are a modelling smell and make "why can this user do that?" hard to answer. */
export const MAX_ROLE_DEPTH = 8;
const MAX_PERMISSIONS = 200;

const actions: ReadonlySet<string> = new Set(ACTIONS);
const subjects: ReadonlySet<string> = new Set(SUBJECTS);

/**
 * Everything wrong with a role about to be created or updated, as field errors for a 422; empty when the
 * role may be saved. `catalog` is the current set of roles (an existing role of the same name is the one
 * being replaced). The role arrives from a request body, so nothing about its shape is trusted.
 */
export function validateRole(role: RoleDefinition, catalog: readonly RoleDefinition[]): FieldError[] {
  const problems: FieldError[] = [];
  if (typeof role.name !== 'string' || !ROLE_NAME.test(role.name)) {
    problems.push({ field: 'name', message: 'a role name is 1 to 63 lowercase letters, digits or underscores' });
  }
  problems.push(...parentProblems(role, catalog));

  if (!Array.isArray(role.permissions)) {
    problems.push({ field: 'permissions', message: 'permissions must be a list' });
    return problems;
  }
  if (role.permissions.length > MAX_PERMISSIONS) {
    problems.push({ field: 'permissions', message: `a role holds at most ${MAX_PERMISSIONS} permissions` });
  }
  role.permissions.forEach((permission, i) => problems.push(...permissionProblems(permission, `permissions.${i}`)));
  problems.push(...contradictions(role.permissions));
  return problems;
}

function permissionProblems(permission: PermissionRule, path: string): FieldError[] {
  if (typeof permission !== 'object' || permission === null) return [{ field: path, message: 'must be an object' }];
  const problems: FieldError[] = [];
  const { action, subject, inverted, reason } = permission;
  if (typeof action !== 'string' || action === '') {
    problems.push({ field: `${path}.action`, message: 'action is required' });
  } else if (!actions.has(action)) {
    problems.push({ field: `${path}.action`, message: `unknown action; one of ${ACTIONS.join(', ')}` });
  }
  if (typeof subject !== 'string' || subject === '') {
    problems.push({ field: `${path}.subject`, message: 'subject is required' });
  } else if (!subjects.has(subject)) {
    problems.push({ field: `${path}.subject`, message: `unknown subject; one of ${SUBJECTS.join(', ')}` });
  }
  if (inverted !== undefined && typeof inverted !== 'boolean') {
    problems.push({ field: `${path}.inverted`, message: 'inverted must be a boolean' });
  }
  if (reason !== undefined && reason !== null && (typeof reason !== 'string' || reason.length > 500)) {
    problems.push({ field: `${path}.reason`, message: 'reason must be a string of at most 500 characters' });
  }
  problems.push(...parseConditions(permission.conditions, `${path}.conditions`, { templates: true }).problems);
  return problems;
}

/**
 * The parent must exist, and following parents from it must neither come back to this role (A→B→A, or
 * a role that is its own parent) nor loop elsewhere nor run deeper than MAX_ROLE_DEPTH.
 */
function parentProblems(role: RoleDefinition, catalog: readonly RoleDefinition[]): FieldError[] {
  const parent = role.parent;
  if (parent === undefined || parent === null) return [];
  if (typeof parent !== 'string' || parent === '') return [{ field: 'parent', message: 'parent must be a role name' }];
  if (parent === role.name) return [{ field: 'parent', message: 'a role cannot be its own parent' }];

  const byName = indexRoles(catalog.filter((r) => r.name !== role.name));
  if (!byName.has(parent)) return [{ field: 'parent', message: `unknown parent role '${parent}'` }];

  const chain = [role.name];
  for (let name: string | null | undefined = parent; name; name = byName.get(name)?.parent) {
    if (chain.includes(name)) {
      return [{ field: 'parent', message: `the parent chain loops: ${[...chain, name].join(' → ')}` }];
    }
    chain.push(name);
    if (chain.length > MAX_ROLE_DEPTH) {
      return [{ field: 'parent', message: `the hierarchy may be at most ${MAX_ROLE_DEPTH} roles deep` }];
    }
  }
  return [];
}

/**
 * Q1.2: a role that allows something and, in the same breath, denies it is a mistake in the role, not a
 * precedence question: the allow can never take effect. Flagged when a deny covers an allow of the same
 * role (same or wildcard action and subject) and either has no conditions or exactly the allow's
 * conditions; a conditional deny under an unconditional allow is the normal "everything except" carve-out
 * and is accepted, as is an allow of `manage all` with narrower denies.
 *
 * Only the role's own rules are compared, not inherited ones: a child that denies part of what its parent
 * allows ("analyst, but no deletes") is specialisation by subtraction, a legitimate design that the
 * deny-overrides rule makes well defined. Rejecting it would also make a later edit of the parent able to
 * invalidate children that were accepted when they were saved.
 */
function contradictions(permissions: readonly PermissionRule[]): FieldError[] {
  const problems: FieldError[] = [];
  permissions.forEach((deny, d) => {
    if (!deny?.inverted) return;
    permissions.forEach((allow, a) => {
      if (!allow || allow.inverted || !covers(deny.action, allow.action, 'manage')) return;
      if (!covers(deny.subject, allow.subject, 'all')) return;
      const sameConditions = stableKey(deny.conditions) === stableKey(allow.conditions);
      if (hasConditions(deny.conditions) && !sameConditions) return;
      problems.push({
        field: `permissions.${d}`,
        message: `contradicts permissions.${a}: denies '${allow.action} ${allow.subject}' that the same role allows`,
      });
    });
  });
  return problems;
}

function covers(deny: string, allow: string, wildcard: string): boolean {
  return deny === allow || deny === wildcard;
}
