import { createHash } from 'node:crypto';
import { ProblemError, queryRows, sql, type SqlRunner } from '@casebook/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { IdempotencyErrorCode } from './idempotency-errors';

export interface StoredResponse<T> {
  status: number;
  body: T;
  replayed: boolean;
}

const KEY = /^[\x21-\x7e]{1,255}$/;
const TTL_HOURS = 24;

/**
 * `Idempotency-Key` (IETF httpapi idempotency draft): the first response for a (principal, key) is kept
 * 24 h. Same key and same body → that response again; same key, different body → 422; the first
 * request still running → 409. The key is claimed in the same transaction as the work, so a crash
 * before commit leaves nothing claimed and a retry does the work once.
 */
export class IdempotencyKeys {
  constructor(private readonly db: DataSource) {}

  static validate(key: string): void {
    if (!KEY.test(key)) {
      throw ProblemError.validation([
        { field: 'Idempotency-Key', in: 'header', message: 'must be 1–255 visible ASCII characters' },
      ]);
    }
  }

  async run<T>(
    principalId: string,
    key: string,
    request: unknown,
    work: (tx: EntityManager) => Promise<{ status: number; body: T }>,
  ): Promise<StoredResponse<T>> {
    IdempotencyKeys.validate(key);
    const hash = createHash('sha256').update(JSON.stringify(request)).digest();
    return this.db.transaction(async (tx) => {
      // A concurrent request with the same key holds the row lock until it commits: do not wait for it.
      await queryRows(tx, sql`SET LOCAL lock_timeout = '100ms'`);
      let claimed: unknown[];
      try {
        claimed = await queryRows(
          tx,
          sql`INSERT INTO idempotency_keys (principal_id, key, request_hash, response_status, response_body, expires_at)
           VALUES (${principalId}, ${key}, ${hash}, 0, 'null', now() + make_interval(hours => ${TTL_HOURS}))
           ON CONFLICT (principal_id, key) DO UPDATE SET key = idempotency_keys.key
             WHERE idempotency_keys.expires_at <= now()
           RETURNING 1`,
        );
      } catch (error) {
        if ((error as { code?: string }).code === '55P03') {
          throw new ProblemError({
            code: IdempotencyErrorCode.InFlight,
            detail: 'A request with this Idempotency-Key is still being processed.',
          });
        }
        throw error;
      }
      // Only the claim must not wait; the work itself waits for locks as usual.
      await queryRows(tx, sql`SET LOCAL lock_timeout TO DEFAULT`);
      if (claimed.length === 0) {
        const rows: { requestHash: Buffer; status: number; body: T }[] = await queryRows(
          tx,
          sql`SELECT request_hash AS "requestHash", response_status AS status, response_body AS body FROM idempotency_keys WHERE principal_id = ${principalId} AND key = ${key}`,
        );
        const stored = rows[0]!;
        if (!stored.requestHash.equals(hash)) {
          throw new ProblemError({
            code: IdempotencyErrorCode.KeyReused,
            detail: 'This Idempotency-Key was used with a different request body.',
          });
        }
        return { status: stored.status, body: stored.body, replayed: true };
      }
      // A reused expired key starts over with this request.
      await queryRows(
        tx,
        sql`UPDATE idempotency_keys SET request_hash = ${hash}, created_at = now() WHERE principal_id = ${principalId} AND key = ${key}`,
      );
      const response = await work(tx);
      await queryRows(
        tx,
        sql`UPDATE idempotency_keys SET response_status = ${response.status}, response_body = ${JSON.stringify(response.body)} WHERE principal_id = ${principalId} AND key = ${key}`,
      );
      return { ...response, replayed: false };
    });
  }

  /** Q3.4: an erased user's stored responses go with the erasure, in its transaction. */
  async forgetPrincipal(tx: SqlRunner, principalId: string): Promise<void> {
    await queryRows(tx, sql`DELETE FROM idempotency_keys WHERE principal_id = ${principalId}`);
  }

  async pruneExpired(): Promise<void> {
    await queryRows(this.db, sql`DELETE FROM idempotency_keys WHERE expires_at <= now()`);
  }
}
