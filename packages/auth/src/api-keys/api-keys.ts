import { queryRows, sql } from '@casebook/platform';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AuthErrorCode, unauthenticated } from '../errors';

export interface ApiKeyRecord {
  id: string;
  prefix: string;
  name: string;
  ownerUserId: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface VerifiedApiKey {
  id: string;
  ownerUserId: string;
  scopes: string[];
}

const FORMAT = /^cbk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const secretHash = (secret: string) => createHash('sha256').update(secret).digest();

const COLUMNS = sql`id, prefix, name, owner_user_id AS "ownerUserId", scopes, created_at AS "createdAt",
  expires_at AS "expiresAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`;

/**
 * Q10.x: API keys for server-to-server callers. The full key is shown once at creation; the database
 * keeps a public prefix (to find the row) and a SHA-256 of the secret part (high-entropy, so a fast
 * hash is enough), compared in constant time.
 */
export class ApiKeys {
  constructor(private readonly db: DataSource) {}

  async create(
    input: {
      ownerUserId: string;
      name: string;
      scopes: string[];
      expiresAt: Date | null;
    },
    within?: (tx: EntityManager, record: ApiKeyRecord) => Promise<void>,
  ): Promise<{ key: string; record: ApiKeyRecord }> {
    const prefix = Array.from(randomBytes(12), (b) => ALPHABET[b % ALPHABET.length]).join('');
    const secret = randomBytes(32).toString('base64url');
    const record = await this.db.transaction(async (tx) => {
      const rows = await queryRows<ApiKeyRecord>(
        tx,
        sql`INSERT INTO api_keys (prefix, secret_hash, name, owner_user_id, scopes, expires_at)
            VALUES (${prefix}, ${secretHash(secret)}, ${input.name}, ${input.ownerUserId}, ${input.scopes}, ${input.expiresAt})
            RETURNING ${COLUMNS}`,
      );
      await within?.(tx, rows[0]!);
      return rows[0]!;
    });
    return { key: `cbk_${prefix}_${secret}`, record };
  }

  async verify(presented: string): Promise<VerifiedApiKey> {
    const match = FORMAT.exec(presented);
    if (!match) throw unauthenticated(AuthErrorCode.ApiKeyInvalid, 'The API key is not valid.');
    const [, prefix, secret] = match;
    const rows = await queryRows<{
      id: string;
      ownerUserId: string;
      scopes: string[];
      secretHash: Buffer;
      usable: boolean;
      stale: boolean;
    }>(
      this.db,
      sql`SELECT id, owner_user_id AS "ownerUserId", scopes, secret_hash AS "secretHash",
                 (revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())) AS usable,
                 (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') AS stale
            FROM api_keys WHERE prefix = ${prefix}`,
    );
    const row = rows[0];
    // Compare even when the prefix is unknown, so timing does not tell which prefixes exist.
    const expected = row?.secretHash ?? Buffer.alloc(32);
    const matches = timingSafeEqual(expected, secretHash(secret!));
    if (!row || !matches || !row.usable)
      throw unauthenticated(AuthErrorCode.ApiKeyInvalid, 'The API key is not valid.');
    if (row.stale) await queryRows(this.db, sql`UPDATE api_keys SET last_used_at = now() WHERE id = ${row.id}`);
    return { id: row.id, ownerUserId: row.ownerUserId, scopes: row.scopes };
  }

  list(ownerUserId: string): Promise<ApiKeyRecord[]> {
    return queryRows<ApiKeyRecord>(
      this.db,
      sql`SELECT ${COLUMNS} FROM api_keys WHERE owner_user_id = ${ownerUserId} ORDER BY created_at, id`,
    );
  }

  async revoke(
    id: string,
    ownerUserId: string | null,
    within?: (tx: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await queryRows(
        tx,
        sql`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now())
             WHERE id = ${id} AND (${ownerUserId}::uuid IS NULL OR owner_user_id = ${ownerUserId}) RETURNING id`,
      );
      if (rows.length === 0) return false;
      await within?.(tx);
      return true;
    });
  }
}
