import { queryRows, sql } from '@casebook/platform';
import type { SqlExecutor } from '../db/db';
import type { AuditEvent } from '../events/event.schema';

/**
 * Q6.1: writes events to `audit_outbox` with the caller's executor, so inside the caller's transaction
 * they commit or roll back with the change they describe. The consumer relays them into the chain.
 */
export async function writeToOutbox(executor: SqlExecutor, events: readonly AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  await queryRows(
    executor,
    sql`INSERT INTO audit_outbox (id, event)
     SELECT (e ->> 'id')::uuid, e FROM jsonb_array_elements(${JSON.stringify(events)}::jsonb) AS e`,
  );
}
