import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { bestEffort, type Logger, queryRows, sql, withDeadline } from '@casebook/platform';
import { AuthErrorCode, unauthenticated } from '../errors';

export interface AuthzStateOptions {
  /** How long an in-process copy is trusted when Redis cannot be asked: the revocation bound without Redis. */
  cacheTtlMs: number;
  /** Budget for one Redis round trip before falling back to Postgres. */
  redisTimeoutMs?: number;
}

const versionKey = (userId: string) => `authz:{${userId}}:ver`;
const deniedKey = (userId: string, jti: string) => `authz:{${userId}}:deny:${jti}`;
// Cached versions expire after a minute. That bounds the one case Redis can serve a stale version:
// a bump whose Redis write (and the DEL after it) failed while Redis was unreachable, with Redis back
// afterwards with its old data. Everything else is fresher than this.
const VERSION_TTL_SECONDS = 60;

/**
 * Q2.1: revocation without a central session store. Each user has an authz version; a token carrying
 * an older one is refused, and single tokens (logout) are denied by `jti` until they would expire.
 *
 * With Redis: one MGET per request; a bump writes Redis right after Postgres, so every instance
 * refuses old tokens on its next request (bound: the time between the two writes). Without Redis
 * (down, slow, or wiped): Postgres is the source of truth, read through an in-process cache of
 * `cacheTtlMs` (bound: that TTL, 1 s by default). A wiped Redis is refilled from Postgres per user.
 */
export class AuthzState {
  private readonly local = new Map<string, { version: number | null; denied: Set<string>; at: number }>();

  constructor(
    private readonly db: DataSource,
    private readonly redis: Redis | null,
    private readonly logger: Logger,
    private readonly options: AuthzStateOptions,
  ) {}

  /** Throws 401 when the user is gone, the token's version is old, or the token was revoked. */
  async assertCurrent(userId: string, tokenVersion: number | undefined, jti: string): Promise<void> {
    const state = await this.stateOf(userId, jti);
    if (state.version === null) throw unauthenticated(AuthErrorCode.UserUnknown, 'The account no longer exists.');
    if (tokenVersion === undefined || tokenVersion < state.version || state.denied) {
      throw unauthenticated(AuthErrorCode.TokenRevoked);
    }
  }

  private async stateOf(userId: string, jti: string): Promise<{ version: number | null; denied: boolean }> {
    if (this.redis) {
      try {
        const [version, denied] = await withDeadline(
          this.redis.mget(versionKey(userId), deniedKey(userId, jti)),
          this.options.redisTimeoutMs ?? 50,
          'redis',
        );
        if (version !== null) return { version: Number(version), denied: denied !== null };
        // Cold or wiped: load from Postgres and refill Redis for this user.
        const fresh = await this.loadFromPostgres(userId);
        await this.refillRedis(userId, fresh).catch((error: unknown) =>
          this.logger.warn({ err: error }, 'authz refill failed'),
        );
        return { version: fresh.version, denied: fresh.denied.has(jti) };
      } catch (error) {
        this.logger.warn({ err: error }, 'authz state from Redis unavailable; using Postgres');
      }
    }
    const cached = this.local.get(userId);
    if (cached && Date.now() - cached.at < this.options.cacheTtlMs) {
      return { version: cached.version, denied: cached.denied.has(jti) };
    }
    const fresh = await this.loadFromPostgres(userId);
    this.local.set(userId, { ...fresh, at: Date.now() });
    if (this.local.size > 50_000) this.local.delete(this.local.keys().next().value!);
    return { version: fresh.version, denied: fresh.denied.has(jti) };
  }

  private async loadFromPostgres(
    userId: string,
  ): Promise<{ version: number | null; denied: Map<string, Date> & Set<string> }> {
    const rows: { version: number | null; denied: { jti: string; expiresAt: string }[] }[] = await queryRows(
      this.db,
      sql`SELECT (SELECT authz_ver FROM users WHERE id = ${userId}) AS version,
              COALESCE((SELECT json_agg(json_build_object('jti', jti, 'expiresAt', expires_at))
                          FROM revoked_access_tokens WHERE user_id = ${userId} AND expires_at > now()), '[]') AS denied`,
    );
    const denied = new Map(rows[0]!.denied.map((d) => [d.jti, new Date(d.expiresAt)])) as Map<string, Date> &
      Set<string>;
    return { version: rows[0]!.version, denied };
  }

  private async refillRedis(
    userId: string,
    state: { version: number | null; denied: Map<string, Date> },
  ): Promise<void> {
    if (!this.redis || state.version === null) return;
    const pipeline = this.redis.pipeline().set(versionKey(userId), String(state.version), 'EX', VERSION_TTL_SECONDS);
    for (const [jti, expiresAt] of state.denied) {
      pipeline.set(deniedKey(userId, jti), '1', 'PX', Math.max(1, expiresAt.getTime() - Date.now()));
    }
    await pipeline.exec();
  }

  /** After Postgres committed a new version: tell Redis, so every instance refuses older tokens now. */
  async publishVersion(userId: string, version: number): Promise<void> {
    this.local.delete(userId);
    if (!this.redis) return;
    try {
      // Only ever raise the version: a late write must not undo a newer bump.
      await this.redis.eval(
        "local v = tonumber(redis.call('GET', KEYS[1]) or '0') if tonumber(ARGV[1]) > v then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end return 1",
        1,
        versionKey(userId),
        String(version),
        String(VERSION_TTL_SECONDS),
      );
    } catch (error) {
      // Postgres already has the new version; instances reading through Redis catch up when the key expires
      // or Redis returns, and instances without Redis read Postgres within cacheTtlMs.
      await bestEffort(this.redis.del(versionKey(userId)), 'auth.authz-version.del');
      this.logger.warn({ err: error, userId }, 'authz version not published to Redis');
    }
  }

  /** Logout of one session: its current access token is refused until it would have expired. */
  async denyToken(userId: string, jti: string, expiresAt: Date): Promise<void> {
    if (expiresAt.getTime() <= Date.now()) return;
    await queryRows(
      this.db,
      sql`INSERT INTO revoked_access_tokens (jti, user_id, expires_at) VALUES (${jti}, ${userId}, ${expiresAt}) ON CONFLICT (jti) DO NOTHING`,
    );
    this.local.delete(userId);
    await this.redis
      ?.set(deniedKey(userId, jti), '1', 'PX', expiresAt.getTime() - Date.now())
      .catch((error: unknown) => this.logger.warn({ err: error }, 'token denial not published to Redis'));
  }

  /** Housekeeping: denied tokens past their expiry are harmless. */
  async pruneExpired(): Promise<number> {
    const rows = await queryRows(
      this.db,
      sql`DELETE FROM revoked_access_tokens WHERE expires_at <= now() RETURNING jti`,
    );
    return rows.length;
  }
}
