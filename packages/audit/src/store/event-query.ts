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
const QUERY_SQL = `SELECT ${CHAIN_COLUMNS} FROM audit_events
  WHERE ($1::text IS NULL OR actor_pseudonym = $1)
    AND ($2::text IS NULL OR action = $2)
    AND ($3::text IS NULL OR resource_type = $3)
    AND ($4::text IS NULL OR resource_id = $4)
    AND ($5::timestamptz IS NULL OR (occurred_at >= $5 AND recorded_at >= $5::timestamptz - interval '1 hour'))
    AND ($6::timestamptz IS NULL OR occurred_at < $6)
    AND ($7::bigint IS NULL OR seq < $7)
  ORDER BY audit_events.seq DESC
  LIMIT $8`;

/** Newest first, keyset-paged by seq: `before` is the seq of the last event of the previous page. */
export async function queryEvents(
  db: AuditDb,
  filter: AuditEventFilter,
  page: { before?: number; limit: number },
): Promise<ChainedEventJson[]> {
  const rows = await db.query<ChainRow>(QUERY_SQL, [
    filter.actorPseudonym ?? null,
    filter.action ?? null,
    filter.resourceType ?? null,
    filter.resourceId ?? null,
    filter.from?.toISOString() ?? null,
    filter.to?.toISOString() ?? null,
    page.before ?? null,
    page.limit,
  ]);
  return rows.map((row) => toChainedJson(chainedEventFromRow(row)));
}
