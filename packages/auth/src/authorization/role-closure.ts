import type { RoleDefinition } from './vocabulary';

/**
 * Q1.1: roles form a forest through `parent` (one parent per role, the `parent_role_id` column). A user
 * holds the roles granted to them plus every ancestor of each. The closure is computed here, in memory,
 * from the whole catalog (a few dozen rows, cached by the caller) rather than with a recursive CTE per
 * request.
 */

/** Roles granted plus every ancestor via parent links, each once, granted order first; unknown names are ignored. */
export function expandRoles(catalog: readonly RoleDefinition[], granted: readonly string[]): string[] {
  const byName = indexRoles(catalog);
  const closure = new Set<string>();
  for (const name of granted) {
    // A visited set per walk, so a cycle that slipped into the catalog ends the walk instead of looping.
    let role = byName.get(name);
    while (role && !closure.has(role.name)) {
      closure.add(role.name);
      role = role.parent ? byName.get(role.parent) : undefined;
    }
  }
  return [...closure];
}

/** Role by name; with duplicate names (never in the database, which has a unique constraint) the first wins. */
export function indexRoles(catalog: readonly RoleDefinition[]): Map<string, RoleDefinition> {
  const byName = new Map<string, RoleDefinition>();
  for (const role of catalog) if (!byName.has(role.name)) byName.set(role.name, role);
  return byName;
}
