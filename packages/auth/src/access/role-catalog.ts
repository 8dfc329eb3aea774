import type { RoleDefinition } from '../authorization';

/**
 * Roles and their rules, cached briefly in-process. The identity provider reads them from Postgres;
 * resource servers use the seeded catalog (their tokens carry role names, and custom roles only
 * exist where the roles are managed: docs/adr/0010).
 */
export class RoleCatalog {
  private cached: { roles: RoleDefinition[]; at: number } | undefined;
  private loading: Promise<RoleDefinition[]> | undefined;

  constructor(
    private readonly load: () => Promise<RoleDefinition[]>,
    private readonly ttlMs: number,
  ) {}

  async roles(): Promise<RoleDefinition[]> {
    if (this.cached && Date.now() - this.cached.at < this.ttlMs) return this.cached.roles;
    this.loading ??= this.load()
      .then((roles) => {
        this.cached = { roles, at: Date.now() };
        return roles;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  /** After a role changed on this instance; other instances pick it up within the TTL. */
  invalidate(): void {
    this.cached = undefined;
  }
}
