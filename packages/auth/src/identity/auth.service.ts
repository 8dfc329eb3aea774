import type { Logger } from '@casebook/platform';
import { ProblemError } from '@casebook/platform';
import { AuthErrorCode, unauthenticated } from '../errors';
import type { AuthEventContext, AuthEventSink } from '../events/auth-events';
import type { LoginAttemptLimiter } from '../login/login-attempts';
import type { PasswordHasher } from '../passwords/password-hasher';
import type { RefreshTokens } from '../refresh/refresh-tokens';
import type { AuthzState } from '../revocation/authz-state';
import type { TokenIssuer } from '../tokens';
import { normaliseEmail } from './email';
import type { UserRecord, UsersRepository } from './users.repository';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** Sign-in, refresh, sign-out: the flows of ARCHITECTURE §4 "Endpoints (contract)". */
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly issuer: TokenIssuer,
    private readonly refreshTokens: RefreshTokens,
    private readonly authz: AuthzState,
    private readonly attempts: LoginAttemptLimiter,
    private readonly logger: Logger,
    private readonly events: AuthEventSink,
  ) {}

  /**
   * Same work for an unknown email as for a wrong password (argon2 against a dummy hash), one generic
   * message for both, and failures counted per account and per IP.
   */
  async login(
    rawEmail: string,
    password: string,
    context: AuthEventContext,
  ): Promise<{ tokens: TokenPair; user: UserRecord }> {
    const email = normaliseEmail(rawEmail);
    const decision = await this.attempts.check(email, context.ip);
    if (!decision.allowed) {
      await this.events.record({ action: 'auth.sign_in.failed', email, reason: 'rate_limited' }, context);
      throw new ProblemError({
        code: AuthErrorCode.LoginRateLimited,
        detail: 'Too many failed sign-in attempts; try again later.',
        headers: { 'Retry-After': String(decision.retryAfterSeconds) },
      });
    }
    const user = await this.users.findByEmail(email);
    const valid = await this.hasher.verifyOrDummy(user?.passwordHash ?? null, password);
    if (!user || !valid) {
      await this.attempts.recordFailure(email, context.ip);
      // The client gets one message for both; the audit log knows which it was (by pseudonym, not email).
      const reason = user ? 'bad_password' : 'unknown_user';
      await this.events.record({ action: 'auth.sign_in.failed', email, reason }, context);
      throw unauthenticated(AuthErrorCode.InvalidCredentials);
    }
    await this.attempts.recordSuccess(email);
    if (this.hasher.needsRehash(user.passwordHash)) {
      // Parameters were raised since this hash was made; upgrade it while the password is at hand.
      await this.users.update(user.id, { passwordHash: await this.hasher.hash(password) }).then((version) => {
        if (version !== null) user.authzVer = version;
      });
    }
    const refresh = await this.refreshTokens.start(user.id);
    const tokens = await this.pair(user, refresh.token);
    await this.events.record({ action: 'auth.sign_in.succeeded', userId: user.id }, context);
    return { tokens, user };
  }

  async refresh(refreshToken: string, context: AuthEventContext): Promise<TokenPair> {
    const rotated = await this.refreshTokens.rotate(refreshToken, (reuse) =>
      this.events.record({ action: 'auth.token.reuse_detected', ...reuse }, context),
    );
    const user = await this.users.findById(rotated.userId);
    if (!user) throw unauthenticated(AuthErrorCode.UserUnknown, 'The account no longer exists.');
    const pair = await this.pair(user, rotated.token);
    await this.events.record(
      { action: 'auth.token.refreshed', userId: rotated.userId, familyId: rotated.familyId },
      context,
    );
    return pair;
  }

  /** Ends one session; with the caller's access token also refused from now on. */
  async logout(
    refreshToken: string,
    accessToken: { userId: string; jti: string; expiresAt: Date } | undefined,
    context: AuthEventContext,
  ): Promise<void> {
    const userId = await this.refreshTokens.revokeFamily(refreshToken);
    if (accessToken && (userId === null || userId === accessToken.userId)) {
      await this.authz.denyToken(accessToken.userId, accessToken.jti, accessToken.expiresAt);
    }
    if (userId !== null) await this.events.record({ action: 'auth.signed_out', userId, everywhere: false }, context);
  }

  /** Logout everywhere, or a compromised account: every family ends and every access token is refused. */
  async revokeEverything(
    userId: string,
    reason: 'logout_all' | 'compromise' | 'password_change',
    context: AuthEventContext,
  ): Promise<void> {
    await this.refreshTokens.revokeAll(userId, reason);
    const version = await this.users.bumpAuthzVersion(userId);
    if (version !== null) await this.authz.publishVersion(userId, version);
    this.logger.info({ userId, reason }, 'all sessions revoked');
    await this.events.record(
      reason === 'logout_all'
        ? { action: 'auth.signed_out', userId, everywhere: true }
        : { action: 'auth.token.revoked', userId, reason },
      context,
    );
  }

  private async pair(user: UserRecord, refreshToken: string): Promise<TokenPair> {
    const access = await this.issuer.issueForUser({
      id: user.id,
      roles: user.roles,
      region: user.region,
      authzVer: user.authzVer,
    });
    return { accessToken: access.token, refreshToken, tokenType: 'Bearer', expiresIn: access.expiresIn };
  }
}
