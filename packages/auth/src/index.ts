// Public surface of @casebook/auth: named exports of what other workspaces use; add a name when one needs it.
export { AccessContext } from './access/access-context';
export { RoleCatalog } from './access/role-catalog';
export { buildAbility } from './authorization/ability';
export { Authenticated } from './authorization/authenticated.decorator';
export { REQUIRED_PERMISSION_KEY, RequirePermission } from './authorization/require-permission.decorator';
export type { RequiredPermission } from './authorization/require-permission.decorator';
export { SEEDED_ROLES } from './authorization/seeded-roles';
export { identityConfigSchema, tokenVerifierConfigSchema } from './config';
export { AuthErrorCode, forbidden } from './errors';
export { AUTH_EVENT_SINK, authorizationDenialOf, markAuthorizationDenied, NO_AUTH_EVENTS } from './events/auth-events';
export type {
  AuthEvent,
  AuthEventContext,
  AuthEventSink,
  AuthorizationDenial,
  TransactionExecutor,
} from './events/auth-events';
export { AuthService } from './identity/auth.service';
export { RolesRepository } from './identity/roles.repository';
export { UsersRepository } from './identity/users.repository';
export type { LoginAttemptLimiter } from './login/login-attempts';
export { authMigrations } from './migrations';
export { Access, CurrentPrincipal } from './nest/current.decorators';
export { IdentityModule, signingProviders } from './nest/identity.module';
export { ResourceServerAuthModule } from './nest/resource-server.module';
export { PasswordHasher } from './passwords/password-hasher';
export type { Principal } from './principal';
export { RefreshTokens } from './refresh/refresh-tokens';
export { AuthzState } from './revocation/authz-state';
export { KeyRing } from './tokens/key-ring';
export { TokenIssuer } from './tokens/token-issuer';
