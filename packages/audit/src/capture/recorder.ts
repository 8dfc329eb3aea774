import type Redis from 'ioredis';
import { defineErrorCodes, type Logger, type Metrics, ProblemError } from '@casebook/platform';
import type { AuditDb, SqlExecutor } from '../db/db';
import type { AuditAction } from '../events/actions';
import { buildAuditEvent, type AuditInput } from '../events/build-event';
import type { AuditEvent } from '../events/event.schema';
import type { Pseudonymizer } from '../privacy/pseudonymizer';
import { writeToOutbox } from '../store/outbox';
import { encodeStreamEntry } from './stream-entry';

/** Stable codes of audit failures (ADR 0004). */
export const AuditErrorCode = defineErrorCodes({
  Unavailable: ['AUDIT_UNAVAILABLE', 503],
});

export type AuditFailureMode = 'closed' | 'open';

export interface AuditRecorderOptions {
  pseudonymizer: Pseudonymizer;
  /** The stream the consumer reads; null records straight to the outbox. */
  redis: Redis | null;
  streamKey: string;
  /** The outbox, used when Redis does not take the events. */
  db: AuditDb | null;
  /**
   * `closed` (default): when neither Redis nor Postgres takes the event, the caller gets a 503 and the
   * request is not answered as if it had been audited. `open`: the event is logged as lost and the
   * request goes on; a deliberate choice for routes where availability outranks the audit trail.
   */
  failureMode: AuditFailureMode;
  /** Events per stream entry at most. */
  maxBatch?: number;
  logger?: Logger;
  metrics?: Metrics;
}

/**
 * The request-path side of the audit log (Q6.1). `record()` resolves once the event is durable: in the
 * Redis stream (AOF on) or, when Redis refuses, in Postgres. Events recorded in the same event-loop turn
 * share one XADD (group commit), so under load one round trip carries many requests' events and the
 * cost per request is a JSON.stringify, not a Redis command.
 */
export class AuditRecorder {
  /** The events of the current event-loop turn, and the one promise they all wait on. */
  private queue: AuditEvent[] = [];
  private pending: Promise<void> | null = null;
  private settle: { resolve: () => void; reject: (error: unknown) => void } | null = null;
  private readonly maxBatch: number;
  private readonly recorded;
  private readonly failures;

  constructor(private readonly options: AuditRecorderOptions) {
    this.maxBatch = options.maxBatch ?? 64;
    this.recorded = options.metrics?.counter('audit_events_recorded_total', 'Audit events made durable, by path.', [
      'path',
    ]);
    this.failures = options.metrics?.counter(
      'audit_record_failures_total',
      'Audit events neither Redis nor Postgres accepted, by failure mode.',
      ['mode'],
    );
  }

  /** Builds (pseudonymises, redacts, validates) and records one event; resolves when it is durable. */
  async record<A extends AuditAction>(input: AuditInput<A>): Promise<AuditEvent> {
    const event = buildAuditEvent(input, this.options.pseudonymizer);
    await this.enqueue(event);
    return event;
  }

  /**
   * For a change that must never exist without its audit record: builds the event and writes it with
   * `executor` (an EntityManager or QueryRunner inside the caller's transaction) to the outbox.
   */
  async recordInTransaction<A extends AuditAction>(executor: SqlExecutor, input: AuditInput<A>): Promise<AuditEvent> {
    const event = buildAuditEvent(input, this.options.pseudonymizer);
    await writeToOutbox(executor, [event]);
    return event;
  }

  /** Builds the event without recording it (tests, previews). */
  build<A extends AuditAction>(input: AuditInput<A>): AuditEvent {
    return buildAuditEvent(input, this.options.pseudonymizer);
  }

  private enqueue(event: AuditEvent): Promise<void> {
    this.queue.push(event);
    if (!this.pending) {
      this.pending = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
      // After this turn's I/O callbacks: every request that finished in this turn joins the entry.
      setImmediate(() => this.flush());
    }
    const pending = this.pending;
    if (this.queue.length >= this.maxBatch) this.flush();
    return pending;
  }

  private flush(): void {
    const events = this.queue;
    const settle = this.settle;
    this.queue = [];
    this.pending = null;
    this.settle = null;
    if (events.length > 0 && settle) {
      this.write(events).then(settle.resolve, settle.reject);
    }
  }

  /** Resolves once the events are durable; rejects with 503 when nothing took them (closed mode). */
  private async write(events: AuditEvent[]): Promise<void> {
    const { redis, db, streamKey, logger } = this.options;
    let streamError: unknown = new Error('no Redis configured');
    if (redis) {
      try {
        await redis.xadd(streamKey, '*', ...encodeStreamEntry(events));
        this.recorded?.inc({ path: 'stream' }, events.length);
        return;
      } catch (error) {
        streamError = error;
      }
    }
    if (db) {
      try {
        await writeToOutbox(db, events);
        this.recorded?.inc({ path: 'outbox' }, events.length);
        logger?.warn(
          { err: streamError, events: events.length },
          'audit stream unavailable; events written to the outbox',
        );
        return;
      } catch (error) {
        logger?.error({ err: error, events: events.length }, 'audit outbox unavailable');
      }
    }
    this.failures?.inc({ mode: this.options.failureMode }, events.length);
    if (this.options.failureMode === 'open') {
      logger?.error(
        { events: events.map((event) => ({ id: event.id, action: event.action })) },
        'audit events lost: neither Redis nor Postgres accepted them (AUDIT_FAILURE_MODE=open)',
      );
      return;
    }
    throw new ProblemError({
      code: AuditErrorCode.Unavailable,
      detail: 'The request could not be audited; retry later.',
      headers: { 'Retry-After': '1' },
    });
  }
}
