import type { FastifyRequest } from 'fastify';
import { buildAbility } from '../authorization';
import { AuthErrorCode, unauthenticated } from '../errors';
import type { Principal } from '../principal';
import type { AccessClaims } from '../tokens';
import type { TokenVerifier } from '../tokens';
import { AccessContext } from './access-context';
import type { RoleCatalog } from './role-catalog';

/** Resolves the caller of a request; implemented by the identity provider and by resource servers. */
export interface CredentialResolver {
  /** A user's token is still current (authz version, denylist); throws 401 otherwise. */
  assertCurrent?(claims: AccessClaims): Promise<void>;
  /** Principal for an API key, when this server accepts them. */
  apiKey?(key: string): Promise<Principal>;
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, value] = header.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !value)
    throw unauthenticated(AuthErrorCode.TokenMalformed, 'Use "Authorization: Bearer <token>".');
  return value;
}

export function principalFromClaims(claims: AccessClaims): Principal {
  if (claims.typ === 'service') {
    return {
      kind: 'service',
      id: claims.sub,
      roles: [],
      scopes: claims.scope ? claims.scope.split(' ').filter(Boolean) : [],
      tokenId: claims.jti,
      ...(claims.act
        ? {
            actingFor: {
              id: claims.act.sub,
              roles: claims.act.roles,
              ...(claims.act.region ? { region: claims.act.region } : {}),
            },
          }
        : {}),
    };
  }
  return {
    kind: 'user',
    id: claims.sub,
    roles: claims.roles,
    ...(claims.region ? { region: claims.region } : {}),
    tokenId: claims.jti,
  };
}

/** Q2.3: who is calling and what they may do, from a bearer token or an API key. */
export class Authenticator {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly catalog: RoleCatalog,
    private readonly resolver: CredentialResolver,
  ) {}

  async authenticate(request: FastifyRequest): Promise<AccessContext> {
    const apiKeyHeader = request.headers['x-api-key'];
    if (typeof apiKeyHeader === 'string' && this.resolver.apiKey) {
      return this.contextFor(await this.resolver.apiKey(apiKeyHeader));
    }
    const token = bearerOf(request);
    if (!token) throw unauthenticated(AuthErrorCode.TokenMissing);
    const claims = await this.verifier.verify(token);
    if (claims.typ === 'user') await this.resolver.assertCurrent?.(claims);
    return this.contextFor(principalFromClaims(claims));
  }

  async contextFor(principal: Principal): Promise<AccessContext> {
    // A user is their own subject; an API key and a service act within the user they act for.
    const subject =
      principal.kind === 'user' ? principal : principal.kind === 'service' ? principal.actingFor : principal;
    if (!subject) return new AccessContext(principal, null);
    const ability = buildAbility(await this.catalog.roles(), {
      id: subject.id,
      roles: subject.roles,
      ...(subject.region ? { region: subject.region } : {}),
    });
    return new AccessContext(principal, ability);
  }
}
