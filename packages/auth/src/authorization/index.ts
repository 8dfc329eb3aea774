export * from './require-permission.decorator';
export * from './vocabulary';
export { expandRoles } from './role-closure';
export { buildAbility, describeAbility, asSubject } from './ability';
export { validateRole, MAX_ROLE_DEPTH } from './validate-role';
export { abilityToSql, UnsupportedScopeError, type SqlScope } from './ability-to-sql';
export { TEMPLATE_VARIABLES } from './conditions';
export { SEEDED_ROLES } from './seeded-roles';
