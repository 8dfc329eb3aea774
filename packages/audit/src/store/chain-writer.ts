import { queryRows, sql } from '@casebook/platform';
import { chainEvent, type ChainedEvent } from '../chain/chain-record';
import { selectEventsFromRecordset, toChainedJson, toRecordsetRow } from '../chain/rows';
import type { AuditDb } from '../db/db';
import { auditEventSchema, type AuditEvent } from '../events/event.schema';
import { ensurePartition } from './partitions';

const insertEvents = (rows: readonly unknown[]) =>
  sql`INSERT INTO audit_events (seq, id, schema_version, occurred_at, recorded_at, action, outcome, actor_type,
     actor_pseudonym, actor_roles, actor_on_behalf_of, resource_type, resource_id, request_id, trace_id,
     source_ip_prefix, source_ip_pseudonym, details, prev_hash, hash) ${selectEventsFromRecordset(rows)}`;

export interface ChainHead {
  seq: number;
  hash: Buffer;
}

export interface AppendResult {
  /** Events added to the chain, in chain order. */
  appended: ChainedEvent[];
  /** Events skipped because their id was already stored (redelivery, retried request). */
  duplicates: number;
  head: ChainHead;
}

export interface RelayResult extends AppendResult {
  /** Outbox rows consumed (appended, duplicate or invalid). */
  relayed: number;
  /** Outbox rows whose event does not parse; left in place and reported. */
  invalid: number;
}

export interface ChainWriterOptions {
  /** Where `recorded_at` comes from; the database clock unless a test sets one. */
  clock?: () => Date;
}

interface HeadRow {
  seq: string;
  hash: string;
  recorded_at: string;
  now: string;
}

const ROLLUP_HOUR_MS = 3_600_000;

/**
 * Appends events to the hash chain. Every append locks the single chain-head row first, so however
 * many consumers run, appends are serialised and `seq` is gap-free; the event ids are claimed in the
 * same transaction, so an event delivered twice is stored once. Nothing here is on a request path.
 */
export class ChainWriter {
  constructor(
    private readonly db: AuditDb,
    private readonly options: ChainWriterOptions = {},
  ) {}

  append(events: readonly AuditEvent[]): Promise<AppendResult> {
    return this.db.transaction((tx) => this.appendIn(tx, events));
  }

  /**
   * Moves up to `limit` outbox rows into the chain and deletes them, in one transaction: a relay that
   * dies half-way leaves the rows in the outbox, a relay that commits has chained them exactly once.
   */
  relayOutbox(limit: number): Promise<RelayResult> {
    return this.db.transaction(async (tx) => {
      const head = await this.lockHead(tx);
      const rows = await queryRows<{ position: string; event: unknown }>(
        tx,
        sql`SELECT position::text AS position, event FROM audit_outbox ORDER BY audit_outbox.position LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) return { appended: [], duplicates: 0, head: toHead(head), relayed: 0, invalid: 0 };
      const events: AuditEvent[] = [];
      const consumed: string[] = [];
      let invalid = 0;
      for (const row of rows) {
        const parsed = auditEventSchema.safeParse(row.event);
        if (parsed.success) {
          events.push(parsed.data);
          consumed.push(row.position);
        } else {
          invalid += 1;
        }
      }
      const result = await this.appendIn(tx, events, head);
      if (consumed.length > 0) {
        await queryRows(tx, sql`DELETE FROM audit_outbox WHERE position = ANY(${consumed}::bigint[])`);
      }
      return { ...result, relayed: consumed.length, invalid };
    });
  }

  /** The committed head, without locking it. */
  async head(): Promise<ChainHead> {
    const [row] = await queryRows<{ seq: string; hash: string }>(
      this.db,
      sql`SELECT seq::text AS seq, encode(hash, 'hex') AS hash FROM audit_chain_head WHERE id = 1`,
    );
    return { seq: Number(row!.seq), hash: Buffer.from(row!.hash, 'hex') };
  }

  private async lockHead(tx: AuditDb): Promise<HeadRow> {
    const [row] = await queryRows<HeadRow>(
      tx,
      sql`SELECT seq::text AS seq, encode(hash, 'hex') AS hash,
              to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
              to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS now
         FROM audit_chain_head WHERE id = 1 FOR UPDATE`,
    );
    if (!row) throw new Error('audit_chain_head is empty: run the audit migrations');
    return row;
  }

  private async appendIn(tx: AuditDb, input: readonly AuditEvent[], locked?: HeadRow): Promise<AppendResult> {
    const head = locked ?? (await this.lockHead(tx));
    const unique = [...new Map(input.map((event) => [event.id, event])).values()];
    if (unique.length === 0) return { appended: [], duplicates: input.length, head: toHead(head) };

    // Chain time never goes backwards, whatever the clocks of the hosts appending.
    const now = this.options.clock ? this.options.clock() : new Date(head.now);
    const recordedAt = new Date(Math.max(now.getTime(), Date.parse(head.recorded_at))).toISOString();

    const fresh = new Set(
      (
        await queryRows<{ id: string }>(
          tx,
          sql`INSERT INTO audit_event_ids (id, recorded_at)
           SELECT unnest(${unique.map((event) => event.id)}::uuid[]), ${recordedAt}
           ON CONFLICT (id) DO NOTHING
           RETURNING id::text AS id`,
        )
      ).map((row) => row.id),
    );
    const events = unique.filter((event) => fresh.has(event.id));
    const duplicates = input.length - events.length;
    if (events.length === 0) return { appended: [], duplicates, head: toHead(head) };

    // Cheap (a catalog lookup) and transactional, unlike a cache that a rolled-back DDL would make lie.
    await ensurePartition(tx, new Date(recordedAt));

    let prev: Buffer = Buffer.from(head.hash, 'hex');
    let seq = Number(head.seq);
    const chained = events.map((event) => {
      seq += 1;
      const link = chainEvent(event, seq, recordedAt, prev);
      prev = link.hash;
      return link;
    });

    await queryRows(tx, insertEvents(chained.map((event) => toRecordsetRow(toChainedJson(event)))));
    const last = chained[chained.length - 1]!;
    await queryRows(
      tx,
      sql`UPDATE audit_chain_head SET seq = ${last.seq}, hash = decode(${last.hash.toString('hex')}, 'hex'), recorded_at = ${recordedAt} WHERE id = 1`,
    );
    await this.rollUp(tx, chained);
    return { appended: chained, duplicates, head: { seq: last.seq, hash: last.hash } };
  }

  /** Q6.3: per-principal hourly counts, kept in step with the chain in the same transaction. */
  private async rollUp(tx: AuditDb, events: ChainedEvent[]): Promise<void> {
    const buckets = new Map<
      string,
      { actor_pseudonym: string; hour: string; actor_type: string; role: string | null; events: number; denied: number }
    >();
    for (const event of events) {
      if (!event.actor.pseudonym) continue;
      const hour = new Date(Math.floor(Date.parse(event.occurredAt) / ROLLUP_HOUR_MS) * ROLLUP_HOUR_MS).toISOString();
      const key = `${event.actor.pseudonym}|${hour}`;
      const bucket = buckets.get(key) ?? {
        actor_pseudonym: event.actor.pseudonym,
        hour,
        actor_type: event.actor.type,
        role: event.actor.roles[0] ?? null,
        events: 0,
        denied: 0,
      };
      bucket.events += 1;
      if (event.outcome === 'denied') bucket.denied += 1;
      buckets.set(key, bucket);
    }
    if (buckets.size === 0) return;
    await queryRows(
      tx,
      sql`INSERT INTO audit_actor_hourly (actor_pseudonym, hour, actor_type, role, events, denied)
       SELECT actor_pseudonym, hour, actor_type, role, events, denied
         FROM jsonb_to_recordset(${JSON.stringify([...buckets.values()])}::jsonb) AS r(actor_pseudonym text, hour timestamptz, actor_type text, role text,
              events integer, denied integer)
       ON CONFLICT (actor_pseudonym, hour) DO UPDATE
         SET events = audit_actor_hourly.events + EXCLUDED.events,
             denied = audit_actor_hourly.denied + EXCLUDED.denied,
             role = coalesce(EXCLUDED.role, audit_actor_hourly.role)`,
    );
  }
}

function toHead(row: HeadRow): ChainHead {
  return { seq: Number(row.seq), hash: Buffer.from(row.hash, 'hex') };
}
