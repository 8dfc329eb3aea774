import { subject as asSubject } from '@casl/ability';
import { type AppAbility, abilityToSql, type SqlScope } from '../authorization';
import type { Principal } from '../principal';

/** Scopes of API keys and service tokens are `action:Subject` pairs; `*` stands for any. */
function scopeAllows(scopes: string[] | undefined, action: string, subject: string): boolean {
  if (scopes === undefined) return true;
  return scopes.some((scope) => {
    const [a, s] = scope.split(':');
    return (a === '*' || a === action || a === 'manage') && (s === '*' || s === subject || s === 'all');
  });
}

/**
 * What the current caller may do. For a user, their roles' ability. For an API key, its owner's ability
 * narrowed to the key's scopes. For a service acting for a user, the user's ability narrowed to the
 * service token's scopes; a service acting for nobody has only its scopes and no data scope (`none`).
 */
export class AccessContext {
  constructor(
    readonly principal: Principal,
    /** The ability that decides data scope (user, key owner, or acted-for user); null for a bare service. */
    private readonly ability: AppAbility | null,
  ) {}

  can(action: string, subjectType: string, attributes?: Record<string, unknown>): boolean {
    if (!scopeAllows(this.principal.scopes, action, subjectType)) return false;
    if (!this.ability) return this.principal.kind === 'service';
    return attributes
      ? this.ability.can(action, asSubject(subjectType, { ...attributes }))
      : this.ability.can(action, subjectType);
  }

  /**
   * Whether the caller may act on every instance of the subject: an unconditional allow that no deny
   * (conditional or not) overrides. A type-level `can()` is true as soon as any conditional rule
   * exists, which is right for scoped routes and wrong for unscoped ones such as admin lists.
   */
  canAll(action: string, subjectType: string): boolean {
    if (!scopeAllows(this.principal.scopes, action, subjectType)) return false;
    if (!this.ability) return this.principal.kind === 'service';
    for (const rule of this.ability.rulesFor(action, subjectType)) {
      if (rule.inverted) return false;
      if (!rule.conditions) return true;
    }
    return false;
  }

  /** Q1.3: the SQL filter a repository must apply for (action, subject), over its column map. */
  sqlScope(action: string, subjectType: string, columns: Record<string, string>): SqlScope {
    if (!scopeAllows(this.principal.scopes, action, subjectType)) return { kind: 'none' };
    if (!this.ability) return { kind: 'none' };
    return abilityToSql(this.ability, action, subjectType, columns);
  }

  /** The ability itself, for GET /v1/me. */
  get rules(): AppAbility | null {
    return this.ability;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    access?: AccessContext;
  }
}
