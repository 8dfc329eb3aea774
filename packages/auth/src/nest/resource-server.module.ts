import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { LOGGER, type Logger } from '@casebook/platform';
import Redis from 'ioredis';
import { Authenticator } from '../access/authenticator';
import { RoleCatalog } from '../access/role-catalog';
import { SEEDED_ROLES } from '../authorization';
import type { TokenVerifierConfig } from '../config';
import { AuthErrorCode, unauthenticated } from '../errors';
import { remoteJwksResolver, TokenVerifier } from '../tokens';
import { PermissionGuard } from './guards';
import { createPassportBindings } from './jwt.strategy';

const versionKey = (userId: string) => `authz:{${userId}}:ver`;

/**
 * Q10.x: for services that accept casebook tokens but do not manage users (query-service,
 * moderation-service): keys from the issuer's JWKS, audience = the common one or this service's name.
 * Revocation: the authz version the issuer publishes in Redis is checked when Redis answers; without
 * it, a token stays valid until it expires (at most 15 minutes; docs/adr/0010).
 */
@Module({})
export class ResourceServerAuthModule {
  static forRoot({ config, service }: { config: TokenVerifierConfig; service: string }): DynamicModule {
    const passport = createPassportBindings();
    return {
      module: ResourceServerAuthModule,
      imports: [PassportModule],
      providers: [
        {
          provide: TokenVerifier,
          useFactory: () =>
            new TokenVerifier(remoteJwksResolver(config.AUTH_JWKS_URL), {
              issuer: config.AUTH_ISSUER,
              audiences: [config.AUTH_AUDIENCE, service],
              clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_SECONDS,
            }),
        },
        { provide: RoleCatalog, useFactory: () => new RoleCatalog(async () => SEEDED_ROLES, Number.POSITIVE_INFINITY) },
        {
          provide: Authenticator,
          inject: [TokenVerifier, RoleCatalog, Redis, LOGGER],
          useFactory: (verifier: TokenVerifier, catalog: RoleCatalog, redis: Redis | null, logger: Logger) =>
            new Authenticator(verifier, catalog, {
              assertCurrent: async (claims) => {
                if (!redis) return;
                try {
                  const current = await redis.get(versionKey(claims.sub));
                  if (current !== null && (claims.authz_ver ?? 0) < Number(current))
                    throw unauthenticated(AuthErrorCode.TokenRevoked);
                } catch (error) {
                  if (error instanceof Error && 'status' in error) throw error;
                  logger.warn({ err: error }, 'authz version not checked: Redis unavailable');
                }
              },
            }),
        },
        passport.strategy,
        { provide: APP_GUARD, useClass: passport.guard },
        { provide: APP_GUARD, useClass: PermissionGuard },
      ],
      exports: [TokenVerifier, Authenticator, RoleCatalog],
    };
  }
}
