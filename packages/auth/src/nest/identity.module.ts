import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { LOGGER, type Logger } from '@casebook/platform';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { Authenticator } from '../access/authenticator';
import { RoleCatalog } from '../access/role-catalog';
import { ApiKeys } from '../api-keys/api-keys';
import { ServiceClients } from '../api-keys/service-clients';
import type { IdentityConfig } from '../config';
import { AuthService } from '../identity/auth.service';
import { IdentityAdmin } from '../identity/identity-admin';
import { RolesRepository } from '../identity/roles.repository';
import { UsersRepository } from '../identity/users.repository';
import { type LoginAttemptLimiter, RedisLoginAttemptLimiter } from '../login/login-attempts';
import { PasswordHasher } from '../passwords/password-hasher';
import { RefreshTokens } from '../refresh/refresh-tokens';
import { AuthzState } from '../revocation/authz-state';
import { KeyRing, keyRingResolver, TokenIssuer, TokenVerifier } from '../tokens';
import { ProfileService } from './services/profile.service';
import { SessionsService } from './services/sessions.service';
import { UserAdminService } from './services/user-admin.service';
import { UserApiKeysService } from './services/user-api-keys.service';
import { AdminController } from './controllers/admin.controller';
import { ApiKeysController } from './controllers/api-keys.controller';
import { AuthController, JwksController } from './controllers/auth.controller';
import { MeController } from './controllers/me.controller';
import { PermissionGuard } from './guards';
import { createPassportBindings } from './jwt.strategy';
import { AUTH_CONFIG, LOGIN_ATTEMPT_LIMITER } from './tokens';
import { AUTH_EVENT_SINK, NO_AUTH_EVENTS } from '../events/auth-events';

export interface IdentityModuleOptions {
  config: IdentityConfig & { NODE_ENV: string };
  /** Replaces the built-in failed-login counter (e.g. with `@casebook/rate-limit`). */
  loginAttemptLimiter?: (redis: Redis | null, logger: Logger) => LoginAttemptLimiter;
  /**
   * Where sign-ins, refreshes, reuse and admin changes are recorded: a provider of `AUTH_EVENT_SINK`
   * (e.g. `auditAuthEvents()` of `@casebook/audit`). Without one they are not recorded.
   */
  events?: Provider;
}

const ROLE_CATALOG_TTL_MS = 2_000;

/**
 * The key ring and the token issuer, for any process of the identity provider that signs tokens (the API,
 * and the worker minting service tokens for the calls it makes on a user's behalf).
 */
export function signingProviders(config: IdentityConfig & { NODE_ENV: string }): Provider[] {
  return [
    {
      provide: KeyRing,
      useFactory: () =>
        KeyRing.open({
          signingKeys: config.AUTH_SIGNING_KEYS,
          keysDir: config.AUTH_KEYS_DIR,
          retainSeconds: config.AUTH_ACCESS_TOKEN_TTL_SECONDS + config.AUTH_CLOCK_TOLERANCE_SECONDS,
          production: config.NODE_ENV === 'production',
        }),
    },
    {
      provide: TokenIssuer,
      inject: [KeyRing],
      useFactory: (keys: KeyRing) =>
        new TokenIssuer(keys, {
          issuer: config.AUTH_ISSUER,
          audience: config.AUTH_AUDIENCE,
          ttlSeconds: config.AUTH_ACCESS_TOKEN_TTL_SECONDS,
        }),
    },
  ];
}

/**
 * The identity provider: users, passwords, tokens, sessions, roles, API keys, service clients, and
 * the global guards (authenticated by default, deny by default). Mounted by chatbot-api.
 */
@Module({})
export class IdentityModule {
  static forRoot({ config, loginAttemptLimiter, events }: IdentityModuleOptions): DynamicModule {
    const passport = createPassportBindings();
    const providers: Provider[] = [
      { provide: AUTH_CONFIG, useValue: config },
      events ?? { provide: AUTH_EVENT_SINK, useValue: NO_AUTH_EVENTS },
      {
        provide: PasswordHasher,
        useFactory: () =>
          new PasswordHasher({
            memoryCost: config.ARGON2_MEMORY_KIB,
            timeCost: config.ARGON2_TIME_COST,
            parallelism: config.ARGON2_PARALLELISM,
          }),
      },
      ...signingProviders(config),
      {
        provide: TokenVerifier,
        inject: [KeyRing],
        useFactory: (keys: KeyRing) =>
          new TokenVerifier(keyRingResolver(keys), {
            issuer: config.AUTH_ISSUER,
            audiences: [config.AUTH_AUDIENCE],
            clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_SECONDS,
          }),
      },
      { provide: UsersRepository, inject: [DataSource], useFactory: (db: DataSource) => new UsersRepository(db) },
      { provide: RolesRepository, inject: [DataSource], useFactory: (db: DataSource) => new RolesRepository(db) },
      {
        provide: RoleCatalog,
        inject: [RolesRepository],
        useFactory: (roles: RolesRepository) => new RoleCatalog(() => roles.catalog(), ROLE_CATALOG_TTL_MS),
      },
      {
        provide: RefreshTokens,
        inject: [DataSource, KeyRing],
        useFactory: (db: DataSource, keys: KeyRing) => {
          const secret = config.AUTH_REFRESH_SECRET ?? keys.refreshSecret;
          if (!secret) throw new Error('AUTH_REFRESH_SECRET is required when signing keys come from AUTH_SIGNING_KEYS');
          return new RefreshTokens(db, {
            familyTtlSeconds: config.AUTH_REFRESH_FAMILY_TTL_SECONDS,
            graceSeconds: config.AUTH_REFRESH_GRACE_SECONDS,
            secret,
          });
        },
      },
      {
        provide: AuthzState,
        inject: [DataSource, Redis, LOGGER],
        useFactory: (db: DataSource, redis: Redis | null, logger: Logger) =>
          new AuthzState(db, redis, logger, { cacheTtlMs: config.AUTH_AUTHZ_CACHE_TTL_MS }),
      },
      {
        provide: LOGIN_ATTEMPT_LIMITER,
        inject: [Redis, LOGGER],
        useFactory: (redis: Redis | null, logger: Logger) =>
          loginAttemptLimiter?.(redis, logger) ??
          new RedisLoginAttemptLimiter(
            redis,
            {
              maxFailuresPerAccount: config.AUTH_LOGIN_MAX_FAILURES,
              maxFailuresPerIp: config.AUTH_LOGIN_MAX_FAILURES * 4,
              windowSeconds: config.AUTH_LOGIN_WINDOW_SECONDS,
              pepper: config.AUTH_PEPPER,
            },
            logger,
          ),
      },
      { provide: ApiKeys, inject: [DataSource], useFactory: (db: DataSource) => new ApiKeys(db) },
      {
        provide: ServiceClients,
        inject: [DataSource, PasswordHasher],
        useFactory: (db: DataSource, hasher: PasswordHasher) => new ServiceClients(db, hasher),
      },
      {
        provide: AuthService,
        inject: [
          UsersRepository,
          PasswordHasher,
          TokenIssuer,
          RefreshTokens,
          AuthzState,
          LOGIN_ATTEMPT_LIMITER,
          LOGGER,
          AUTH_EVENT_SINK,
        ],
        useFactory: (...deps: ConstructorParameters<typeof AuthService>) => new AuthService(...deps),
      },
      {
        provide: IdentityAdmin,
        inject: [
          UsersRepository,
          RolesRepository,
          RoleCatalog,
          PasswordHasher,
          AuthzState,
          AuthService,
          AUTH_EVENT_SINK,
        ],
        useFactory: (...deps: ConstructorParameters<typeof IdentityAdmin>) => new IdentityAdmin(...deps),
      },
      {
        provide: Authenticator,
        inject: [TokenVerifier, RoleCatalog, AuthzState, ApiKeys, UsersRepository],
        useFactory: (
          verifier: TokenVerifier,
          catalog: RoleCatalog,
          authz: AuthzState,
          keys: ApiKeys,
          users: UsersRepository,
        ) =>
          new Authenticator(verifier, catalog, {
            assertCurrent: (claims) => authz.assertCurrent(claims.sub, claims.authz_ver, claims.jti),
            apiKey: async (presented) => {
              const key = await keys.verify(presented);
              const owner = await users.findById(key.ownerUserId);
              if (!owner) throw new Error('API key owner vanished');
              return {
                kind: 'api_key',
                id: key.id,
                roles: owner.roles,
                ...(owner.region ? { region: owner.region } : {}),
                scopes: key.scopes,
                // The key acts for its owner: their data, their roles, narrowed by the key's scopes.
                actingFor: { id: owner.id, roles: owner.roles, ...(owner.region ? { region: owner.region } : {}) },
              };
            },
          }),
      },
      SessionsService,
      UserAdminService,
      UserApiKeysService,
      ProfileService,
      passport.strategy,
      { provide: APP_GUARD, useClass: passport.guard },
      { provide: APP_GUARD, useClass: PermissionGuard },
    ];
    return {
      module: IdentityModule,
      // Users, roles and tokens are needed by every feature module of the identity provider.
      global: true,
      imports: [PassportModule],
      controllers: [AuthController, JwksController, MeController, AdminController, ApiKeysController],
      providers,
      exports: [
        AUTH_CONFIG,
        AUTH_EVENT_SINK,
        PasswordHasher,
        KeyRing,
        TokenIssuer,
        TokenVerifier,
        UsersRepository,
        RolesRepository,
        RoleCatalog,
        AuthzState,
        AuthService,
        IdentityAdmin,
        Authenticator,
        ApiKeys,
        ServiceClients,
      ],
    };
  }
}
