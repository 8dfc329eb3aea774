import { queryRows, sql } from '@casebook/platform';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuthErrorCode, unauthenticated } from '../errors';

export interface RefreshTokenOptions {
  /** Absolute lifetime of a family; rotation never extends it. */
  familyTtlSeconds: number;
  /** A rotated token presented again within this window gets the same successor instead of revoking the family. */
  graceSeconds: number;
  /** Key that derives successors, so a racing duplicate can be handed the successor already issued. */
  secret: string;
}

export interface RotatedToken {
  userId: string;
  familyId: string;
  token: string;
  expiresAt: Date;
}

const PREFIX = 'rt_';

const hashOf = (token: string) => createHash('sha256').update(token).digest();

/** A refresh token presented after its successor was issued: the family was revoked (stolen token). */
export interface RefreshReuse {
  userId: string;
  familyId: string;
}

type Outcome =
  { kind: 'ok'; value: RotatedToken } | { kind: 'error'; code: AuthErrorCode; detail: string; reuse?: RefreshReuse };

/**
 * Q2.1/Q2.2: opaque refresh tokens, stored as SHA-256 hashes, one family per login. Every refresh
 * rotates; a rotated token presented again outside the grace window means it was stolen (or the
 * thief used it first), so the whole family dies and the user signs in again. Other families of the
 * same user (other devices) are not touched.
 */
export class RefreshTokens {
  constructor(
    private readonly db: DataSource,
    private readonly options: RefreshTokenOptions,
  ) {}

  private successorOf(familyId: string, generation: number, parentHash: Buffer): string {
    const mac = createHmac('sha256', this.options.secret)
      .update(`${familyId}:${generation}:`)
      .update(parentHash)
      .digest('base64url');
    return PREFIX + mac;
  }

  /** A new family for a fresh login. */
  async start(userId: string): Promise<RotatedToken> {
    const token = PREFIX + randomBytes(32).toString('base64url');
    return this.db.transaction(async (tx) => {
      const [family] = await queryRows<{ id: string; expiresAt: Date }>(
        tx,
        sql`INSERT INTO refresh_token_families (user_id, expires_at) VALUES (${userId}, now() + make_interval(secs => ${this.options.familyTtlSeconds}))
         RETURNING id, expires_at AS "expiresAt"`,
      );
      await queryRows(
        tx,
        sql`INSERT INTO refresh_tokens (family_id, generation, token_hash) VALUES (${family.id}, 0, ${hashOf(token)})`,
      );
      return { userId, familyId: family.id, token, expiresAt: family.expiresAt };
    });
  }

  /** Exchanges a refresh token for its successor. `onReuse` runs after a reuse revoked the family, before the 401. */
  async rotate(token: string, onReuse?: (reuse: RefreshReuse) => Promise<void>): Promise<RotatedToken> {
    if (!token.startsWith(PREFIX) || token.length > 128) throw unauthenticated(AuthErrorCode.RefreshInvalid);
    const presentedHash = hashOf(token);
    const outcome = await this.db.transaction(async (tx): Promise<Outcome> => {
      // Row locks serialise racing refreshes of one token: the second sees the first's rotation.
      const rows: {
        familyId: string;
        generation: number;
        usedAt: Date | null;
        userId: string;
        expiresAt: Date;
        revokedAt: Date | null;
        withinGrace: boolean;
        expired: boolean;
      }[] = await queryRows(
        tx,
        sql`SELECT t.family_id AS "familyId", t.generation, t.used_at AS "usedAt", f.user_id AS "userId",
                f.expires_at AS "expiresAt", f.revoked_at AS "revokedAt",
                (t.used_at IS NOT NULL AND now() - t.used_at <= make_interval(secs => ${this.options.graceSeconds})) AS "withinGrace",
                f.expires_at <= now() AS expired
           FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id
          WHERE t.token_hash = ${presentedHash}
          FOR UPDATE OF t, f`,
      );
      const row = rows[0];
      if (!row) return { kind: 'error', code: AuthErrorCode.RefreshInvalid, detail: 'The refresh token is not valid.' };
      if (row.revokedAt) return { kind: 'error', code: AuthErrorCode.RefreshInvalid, detail: 'The session was ended.' };
      if (row.expired) return { kind: 'error', code: AuthErrorCode.RefreshExpired, detail: 'The session has expired.' };
      const next = row.generation + 1;
      const successor = this.successorOf(row.familyId, next, presentedHash);
      if (row.usedAt) {
        const latest: { generation: number }[] = await queryRows(
          tx,
          sql`SELECT max(generation) AS generation FROM refresh_tokens WHERE family_id = ${row.familyId}`,
        );
        if (row.withinGrace && latest[0]!.generation === next) {
          return {
            kind: 'ok',
            value: { userId: row.userId, familyId: row.familyId, token: successor, expiresAt: row.expiresAt },
          };
        }
        await queryRows(
          tx,
          sql`UPDATE refresh_token_families SET revoked_at = now(), revoke_reason = 'reuse' WHERE id = ${row.familyId}`,
        );
        return {
          kind: 'error',
          reuse: { userId: row.userId, familyId: row.familyId },
          code: AuthErrorCode.RefreshReused,
          detail: 'The refresh token was already used; the session was ended.',
        };
      }
      await queryRows(tx, sql`UPDATE refresh_tokens SET used_at = now() WHERE token_hash = ${presentedHash}`);
      await queryRows(
        tx,
        sql`INSERT INTO refresh_tokens (family_id, generation, token_hash) VALUES (${row.familyId}, ${next}, ${hashOf(successor)})`,
      );
      return {
        kind: 'ok',
        value: { userId: row.userId, familyId: row.familyId, token: successor, expiresAt: row.expiresAt },
      };
    });
    // Outside the transaction, so a reuse revocation is committed before the 401 goes out.
    if (outcome.kind === 'error') {
      if (outcome.reuse) await onReuse?.(outcome.reuse);
      throw unauthenticated(outcome.code, outcome.detail);
    }
    return outcome.value;
  }

  /** Logout: ends the family the token belongs to. Returns the user, or null for an unknown token. */
  async revokeFamily(token: string): Promise<string | null> {
    if (!token.startsWith(PREFIX) || token.length > 128) return null;
    const rows = await queryRows<{ userId: string }>(
      this.db,
      sql`UPDATE refresh_token_families f SET revoked_at = COALESCE(f.revoked_at, now()), revoke_reason = COALESCE(f.revoke_reason, 'logout')
         FROM refresh_tokens t
        WHERE t.family_id = f.id AND t.token_hash = ${hashOf(token)}
        RETURNING f.user_id AS "userId"`,
    );
    return rows[0]?.userId ?? null;
  }

  /** Logout everywhere: ends every family of the user. */
  async revokeAll(userId: string, reason: string): Promise<number> {
    const rows = await queryRows(
      this.db,
      sql`UPDATE refresh_token_families SET revoked_at = now(), revoke_reason = ${reason} WHERE user_id = ${userId} AND revoked_at IS NULL RETURNING id`,
    );
    return rows.length;
  }
}
