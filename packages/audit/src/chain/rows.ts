import { type Sql, sql } from '@casebook/platform';
import type { AuditEvent } from '../events/event.schema';
import type { ChainedEvent } from './chain-record';

/**
 * The columns of `audit_events` as the verifier and the archive read them. Timestamps come back as text
 * with microseconds, so a sub-millisecond edit (invisible through a JS Date) still changes the hash input.
 */
export const CHAIN_COLUMNS = sql`seq::text AS seq, id::text AS id, schema_version,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS occurred_at,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS recorded_at,
  action, outcome, actor_type, actor_pseudonym, actor_roles, actor_on_behalf_of, resource_type, resource_id,
  request_id, trace_id, source_ip_prefix, source_ip_pseudonym, details,
  encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash`;

export interface ChainRow {
  seq: string;
  id: string;
  schema_version: number;
  occurred_at: string;
  recorded_at: string;
  action: string;
  outcome: string;
  actor_type: string;
  actor_pseudonym: string | null;
  actor_roles: string[];
  actor_on_behalf_of: string | null;
  resource_type: string | null;
  resource_id: string | null;
  request_id: string | null;
  trace_id: string | null;
  source_ip_prefix: string | null;
  source_ip_pseudonym: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** `2025-01-31T23:59:59.123000` → `2025-01-31T23:59:59.123Z`; any other microseconds are kept, so they fail. */
function isoFromText(text: string): string {
  return text.endsWith('000') ? `${text.slice(0, -3)}Z` : `${text}Z`;
}

/** Rebuilds the event exactly as it was hashed. Reads no field the writer did not write. */
export function chainedEventFromRow(row: ChainRow): ChainedEvent {
  const event: AuditEvent = {
    v: row.schema_version as AuditEvent['v'],
    id: row.id,
    occurredAt: isoFromText(row.occurred_at),
    action: row.action as AuditEvent['action'],
    outcome: row.outcome as AuditEvent['outcome'],
    actor: {
      type: row.actor_type as AuditEvent['actor']['type'],
      pseudonym: row.actor_pseudonym,
      roles: row.actor_roles,
      onBehalfOf: row.actor_on_behalf_of,
    },
    resource: row.resource_type === null ? null : { type: row.resource_type, id: row.resource_id },
    requestId: row.request_id,
    traceId: row.trace_id,
    source: { ipPrefix: row.source_ip_prefix, ipPseudonym: row.source_ip_pseudonym },
    details: row.details,
  };
  return {
    ...event,
    seq: Number(row.seq),
    recordedAt: isoFromText(row.recorded_at),
    prevHash: Buffer.from(row.prev_hash, 'hex'),
    hash: Buffer.from(row.hash, 'hex'),
  };
}

/** The JSON shape of a chained event outside the database (API, archives): hashes as hex. */
export interface ChainedEventJson extends AuditEvent {
  seq: number;
  recordedAt: string;
  prevHash: string;
  hash: string;
}

export function toChainedJson(event: ChainedEvent): ChainedEventJson {
  return { ...event, prevHash: event.prevHash.toString('hex'), hash: event.hash.toString('hex') };
}

export function fromChainedJson(json: ChainedEventJson): ChainedEvent {
  return { ...json, prevHash: Buffer.from(json.prevHash, 'hex'), hash: Buffer.from(json.hash, 'hex') };
}

/**
 * `SELECT … FROM` a JSON array of `toRecordsetRow` objects ($1), in the column order of `audit_events`: how the
 * chain writer appends and how a restored archive is loaded, one statement per batch.
 */
export const selectEventsFromRecordset = (
  rows: readonly unknown[],
): Sql => sql`SELECT seq, id, v, occurred_at, recorded_at, action, outcome, actor_type,
       actor_pseudonym, actor_roles, actor_on_behalf_of, resource_type, resource_id, request_id, trace_id,
       source_ip_prefix, source_ip_pseudonym, details, decode(prev_hash, 'hex'), decode(hash, 'hex')
  FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(seq bigint, id uuid, v smallint, occurred_at timestamptz,
       recorded_at timestamptz, action text, outcome text, actor_type text, actor_pseudonym text,
       actor_roles text[], actor_on_behalf_of text, resource_type text, resource_id text, request_id text,
       trace_id text, source_ip_prefix text, source_ip_pseudonym text, details jsonb, prev_hash text, hash text)`;

/** One event as a row of `selectEventsFromRecordset`. */
export function toRecordsetRow(event: ChainedEventJson) {
  return {
    seq: event.seq,
    id: event.id,
    v: event.v,
    occurred_at: event.occurredAt,
    recorded_at: event.recordedAt,
    action: event.action,
    outcome: event.outcome,
    actor_type: event.actor.type,
    actor_pseudonym: event.actor.pseudonym,
    actor_roles: event.actor.roles,
    actor_on_behalf_of: event.actor.onBehalfOf,
    resource_type: event.resource?.type ?? null,
    resource_id: event.resource?.id ?? null,
    request_id: event.requestId,
    trace_id: event.traceId,
    source_ip_prefix: event.source.ipPrefix,
    source_ip_pseudonym: event.source.ipPseudonym,
    details: event.details,
    prev_hash: event.prevHash,
    hash: event.hash,
  };
}
