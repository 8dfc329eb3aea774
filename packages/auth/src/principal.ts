/** Who is calling: a signed-in user, a server-to-server caller with an API key, or another service. */
export type PrincipalKind = 'user' | 'api_key' | 'service';

export interface Principal {
  kind: PrincipalKind;
  /** User id, API key id, or service name. */
  id: string;
  /** Roles as granted (not expanded); the ability resolves inheritance. */
  roles: string[];
  /** Region the principal is scoped to (ABAC), when it has one. */
  region?: string;
  /** Scopes of an API key or service token. */
  scopes?: string[];
  /** The user this principal acts for: the owner of an API key, or the user a service token carries. */
  actingFor?: { id: string; roles: string[]; region?: string };
  /** Token id (`jti`), for revocation and audit. */
  tokenId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
