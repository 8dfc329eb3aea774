import { queryRows, sql } from '@casebook/platform';
import { CHAIN_COLUMNS, chainedEventFromRow, type ChainRow, type ChainedEventJson, toChainedJson } from '../chain/rows';
import type { AuditDb } from '../db/db';

export interface AuditEventFilter {
  actorPseudonym?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  /** Occurrence time, `[from, to)`. */
  from?: Date;
  to?: Date;
}

// Optional filters as `$n IS NULL OR …`: the pg driver sends unnamed statements, so each query is planned
// with its values and the unused branches fold away (indexes and partition pruning still apply).
// `recorded_at` (the partition key) is never earlier than `occurred_at` by more than producer clock skew,
// so bounding it too lets Postgres skip months before the range.

/** Newest first, keyset-paged by seq: `before` is the seq of the last event of the previous page. */
export async function queryEvents(
  db: AuditDb,
  filter: AuditEventFilter,
  page: { before?: number; limit: number },
): Promise<ChainedEventJson[]> {
  const actor = filter.actorPseudonym ?? null;
  const action = filter.action ?? null;
  const resourceType = filter.resourceType ?? null;
  const resourceId = filter.resourceId ?? null;
  const from = filter.from?.toISOString() ?? null;
  const to = filter.to?.toISOString() ?? null;
  const before = page.before ?? null;
  const rows = await queryRows<ChainRow>(
    db,
    sql`SELECT ${CHAIN_COLUMNS} FROM audit_events
         WHERE (${actor}::text IS NULL OR actor_pseudonym = ${actor})
           AND (${action}::text IS NULL OR action = ${action})
           AND (${resourceType}::text IS NULL OR resource_type = ${resourceType})
           AND (${resourceId}::text IS NULL OR resource_id = ${resourceId})
           AND (${from}::timestamptz IS NULL OR (occurred_at >= ${from}::timestamptz AND recorded_at >= ${from}::timestamptz - interval '1 hour'))
           AND (${to}::timestamptz IS NULL OR occurred_at < ${to}::timestamptz)
           AND (${before}::bigint IS NULL OR seq < ${before})
         ORDER BY audit_events.seq DESC
         LIMIT ${page.limit}`,
  );
  return rows.map((row) => toChainedJson(chainedEventFromRow(row)));
}
