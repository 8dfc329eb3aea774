import { queryRows, sql } from '@casebook/platform';
import type { AuditDb } from '../db/db';

/**
 * The dedupe window: ids of stored events, written by the chain writer, so a redelivered event is
 * recognised. Ids older than any redelivery (the stream is drained in seconds; retention is weeks) go.
 */
export async function pruneEventIds(db: AuditDb, retentionDays: number): Promise<void> {
  await queryRows(
    db,
    sql`DELETE FROM audit_event_ids WHERE recorded_at < now() - make_interval(days => ${retentionDays})`,
  );
}
