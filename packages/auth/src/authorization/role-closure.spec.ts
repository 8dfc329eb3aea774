import { expandRoles } from './role-closure';
import type { RoleDefinition } from './vocabulary';

const role = (name: string, parent?: string): RoleDefinition => ({ name, parent, permissions: [] });

describe('expandRoles', () => {
  it('When a role has a chain of parents, then every ancestor is included after the granted role', () => {
    const catalog = [role('guest'), role('analyst', 'guest'), role('senior_analyst', 'analyst')];
    expect(expandRoles(catalog, ['senior_analyst'])).toEqual(['senior_analyst', 'analyst', 'guest']);
  });

  it('When several granted roles share ancestors, then each role appears once', () => {
    const catalog = [role('guest'), role('analyst', 'guest'), role('senior_analyst', 'analyst'), role('auditor')];
    expect(expandRoles(catalog, ['analyst', 'auditor', 'senior_analyst', 'analyst'])).toEqual([
      'analyst',
      'guest',
      'auditor',
      'senior_analyst',
    ]);
  });

  it('When a granted role or a parent is not in the catalog, then it is ignored', () => {
    const catalog = [role('analyst', 'deleted_role')];
    expect(expandRoles(catalog, ['ghost', 'analyst'])).toEqual(['analyst']);
  });

  it('When the catalog contains a cycle, then the walk ends with each role of the cycle once', () => {
    const catalog = [role('a', 'b'), role('b', 'c'), role('c', 'a'), role('self', 'self')];
    expect(expandRoles(catalog, ['a'])).toEqual(['a', 'b', 'c']);
    expect(expandRoles(catalog, ['self'])).toEqual(['self']);
  });
});
