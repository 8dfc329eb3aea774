import { sql } from '@casebook/platform';
import type { Pool } from 'pg';
import { CHAIN_COLUMNS, chainEvent, chainedEventFromRow, type ChainRow } from '../../src';

/**
 * Runs SQL the way an attacker with the database owner's rights would: with triggers off for the session
 * (`session_replication_role = replica`), which is exactly what the append-only trigger cannot stop and
 * the hash chain must catch.
 */
export async function asAttacker(
  pool: Pool,
  work: (query: (sql: string, params?: unknown[]) => Promise<unknown[]>) => Promise<void>,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await work(async (sql, params) => (await client.query(sql, params)).rows);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

const rowsFrom = (seq: number) =>
  sql`SELECT ${CHAIN_COLUMNS} FROM audit_events WHERE seq >= ${seq} ORDER BY audit_events.seq`;

/**
 * The careful attacker: after changing an event, recompute every later hash and the chain head, so the
 * chain is consistent again. Only a signed checkpoint (or an auditor's copy of one) can tell.
 */
export async function rehashFrom(pool: Pool, seq: number): Promise<void> {
  await asAttacker(pool, async (query) => {
    const { text, values } = rowsFrom(seq);
    const rows = (await query(text, values)) as ChainRow[];
    let prev: Buffer = Buffer.from(rows[0]!.prev_hash, 'hex');
    for (const row of rows) {
      const { seq: s, recordedAt, prevHash: _p, hash: _h, ...event } = chainedEventFromRow(row);
      const rechained = chainEvent(event, s, recordedAt, prev);
      await query(`UPDATE audit_events SET prev_hash = $2, hash = $3 WHERE seq = $1`, [s, prev, rechained.hash]);
      prev = rechained.hash;
    }
    await query('UPDATE audit_chain_head SET hash = $1 WHERE id = 1', [prev]);
  });
}
