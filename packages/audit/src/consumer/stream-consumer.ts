import type Redis from 'ioredis';
import { type Logger, type Metrics, withDeadline } from '@casebook/platform';
import { auditEventSchema, type AuditEvent } from '../events/event.schema';
import { decodeStreamEntry, prefixedKey } from '../capture/stream-entry';
import type { ChainWriter } from '../store/chain-writer';

export interface StreamConsumerOptions {
  /** A connection of its own: XREADGROUP blocks it. The consumer closes it on stop. */
  redis: Redis;
  streamKey: string;
  group: string;
  consumerName: string;
  writer: ChainWriter;
  /** Events per Postgres transaction at most. */
  batchSize: number;
  /** How long one XREADGROUP waits for new entries. */
  blockMs: number;
  /** Entries pending this long on any consumer are taken over (that consumer is presumed dead). */
  claimIdleMs: number;
  logger?: Logger;
  metrics?: Metrics;
  /** Called after each committed batch, with how many events it appended. */
  onAppended?: (appended: number) => void;
}

type StreamEntry = [id: string, fields: string[] | null];

const ENTRIES_PER_READ = 64;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Moves events from the Redis stream into the chain (Q6.1). At-least-once delivery from the consumer
 * group plus idempotent appends (event ids) give exactly-once storage:
 *   - an entry is acknowledged (XACK) and deleted (XDEL) only after its events committed in Postgres;
 *   - a consumer killed between commit and XACK leaves the entry pending; whoever reclaims it appends
 *     nothing new (ids already stored) and acknowledges it;
 *   - entries pending on a dead consumer for `claimIdleMs` are taken over with XAUTOCLAIM;
 *   - after an error (Postgres down) the consumer re-reads its own pending entries before new ones.
 * An entry that cannot be parsed is copied to `<stream>:dead` before it is acknowledged: set aside for
 * a person to look at, never dropped.
 */
export class StreamConsumer {
  private stopped = false;
  private loop: Promise<void> | null = null;
  private lastClaimAt = 0;
  private readonly persisted;
  private readonly deadLettered;
  private readonly batchSeconds;

  constructor(private readonly options: StreamConsumerOptions) {
    this.persisted = options.metrics?.counter('audit_events_persisted_total', 'Audit events appended to the chain.', [
      'source',
    ]);
    this.deadLettered = options.metrics?.counter(
      'audit_dead_letter_total',
      'Audit stream entries set aside because they do not parse.',
    );
    this.batchSeconds = options.metrics?.histogram('audit_batch_seconds', 'Time to append one batch to the chain.');
  }

  get deadLetterKey(): string {
    return `${this.options.streamKey}:dead`;
  }

  /** Starts the loop; it creates the group first, retrying while Redis is not reachable yet. */
  async start(): Promise<void> {
    this.loop = this.run();
  }

  /** Stops after the batch in hand; an unfinished batch stays pending and is re-read or reclaimed. */
  async stop(): Promise<void> {
    this.stopped = true;
    // Let a batch in hand commit and acknowledge; a loop still blocked in XREADGROUP is interrupted.
    await Promise.race([this.loop, sleep(this.options.blockMs + 500)]);
    this.options.redis.disconnect();
    await this.loop;
  }

  private async run(): Promise<void> {
    let ownPendingFirst = true;
    let backoffMs = 0;
    let grouped = false;
    while (!this.stopped) {
      try {
        if (!grouped) {
          await whenReady(this.options.redis);
          await ensureGroup(this.options.redis, this.options.streamKey, this.options.group);
          grouped = true;
        }
        if (Date.now() - this.lastClaimAt >= this.options.claimIdleMs / 2) {
          this.lastClaimAt = Date.now();
          await this.reclaim();
        }
        // Own pending entries (from before a failure or a restart under the same name), then new ones.
        const entries = await this.read(ownPendingFirst ? '0' : '>');
        if (ownPendingFirst && entries.length === 0) {
          ownPendingFirst = false;
          continue;
        }
        if (entries.length > 0) await this.process(entries);
        backoffMs = 0;
      } catch (error) {
        if (this.stopped) break;
        ownPendingFirst = true;
        backoffMs = Math.min(backoffMs * 2 || 100, 5_000);
        this.options.logger?.error({ err: error, backoffMs }, 'audit consumer failed; retrying');
        await sleep(backoffMs);
      }
    }
  }

  private async read(from: '0' | '>'): Promise<StreamEntry[]> {
    const { redis, group, consumerName, streamKey, blockMs } = this.options;
    const reply = (await (from === '>'
      ? redis.xreadgroup(
          'GROUP',
          group,
          consumerName,
          'COUNT',
          ENTRIES_PER_READ,
          'BLOCK',
          blockMs,
          'STREAMS',
          streamKey,
          '>',
        )
      : redis.xreadgroup('GROUP', group, consumerName, 'COUNT', ENTRIES_PER_READ, 'STREAMS', streamKey, '0'))) as Array<
      [string, StreamEntry[]]
    > | null;
    return reply?.[0]?.[1] ?? [];
  }

  /** Takes over entries idle on any consumer for `claimIdleMs`, and processes them now. */
  private async reclaim(): Promise<void> {
    const { redis, streamKey, group, consumerName, claimIdleMs } = this.options;
    let cursor = '0-0';
    do {
      const [next, entries] = (await redis.xautoclaim(
        streamKey,
        group,
        consumerName,
        claimIdleMs,
        cursor,
        'COUNT',
        ENTRIES_PER_READ,
      )) as [string, StreamEntry[], string[]?];
      if (entries.length > 0) {
        this.options.logger?.warn({ entries: entries.length }, 'audit consumer reclaimed entries of an idle consumer');
        await this.process(entries);
      }
      cursor = next;
    } while (cursor !== '0-0' && !this.stopped);
    await this.forgetDeadConsumers();
  }

  /** Consumers with nothing pending and silent for long are gone (each process has its own name). */
  private async forgetDeadConsumers(): Promise<void> {
    const { redis, streamKey, group, consumerName, claimIdleMs } = this.options;
    const key = prefixedKey(redis.options.keyPrefix, streamKey);
    const consumers = (await redis.xinfo('CONSUMERS', key, group)) as Array<Array<string | number>>;
    for (const info of consumers) {
      const fields = new Map<string, string | number>();
      for (let i = 0; i + 1 < info.length; i += 2) fields.set(String(info[i]), info[i + 1]!);
      const name = String(fields.get('name'));
      if (
        name !== consumerName &&
        Number(fields.get('pending')) === 0 &&
        Number(fields.get('idle')) > claimIdleMs * 10
      ) {
        await redis.xgroup('DELCONSUMER', key, group, name);
      }
    }
  }

  private async process(entries: StreamEntry[]): Promise<void> {
    const { redis, streamKey, group, writer, batchSize } = this.options;
    const events: AuditEvent[] = [];
    const dead: Array<{ id: string; reason: string; raw: string }> = [];
    for (const [id, fields] of entries) {
      if (fields === null) continue; // deleted after its events were stored; only the ack is left
      const decoded = decodeStreamEntry(fields);
      if (!decoded.ok) {
        dead.push({ id, reason: decoded.reason, raw: JSON.stringify(fields) });
        continue;
      }
      for (const candidate of decoded.events) {
        const parsed = auditEventSchema.safeParse(candidate);
        if (parsed.success) events.push(parsed.data);
        else
          dead.push({ id, reason: parsed.error.issues[0]?.message ?? 'invalid event', raw: JSON.stringify(candidate) });
      }
    }
    for (let i = 0; i < events.length; i += batchSize) {
      const stop = this.batchSeconds?.startTimer();
      const result = await writer.append(events.slice(i, i + batchSize));
      stop?.();
      this.persisted?.inc({ source: 'stream' }, result.appended.length);
      this.options.onAppended?.(result.appended.length);
    }
    const ids = entries.map(([id]) => id);
    const pipeline = redis.multi();
    for (const entry of dead)
      pipeline.xadd(this.deadLetterKey, '*', 'source', entry.id, 'reason', entry.reason, 'raw', entry.raw);
    pipeline.xack(streamKey, group, ...ids).xdel(streamKey, ...ids);
    await pipeline.exec();
    if (dead.length > 0) {
      this.deadLettered?.inc(dead.length);
      this.options.logger?.error(
        { entries: dead.map(({ id, reason }) => ({ id, reason })), deadLetter: this.deadLetterKey },
        'audit stream entries set aside',
      );
    }
  }
}

async function whenReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return;
  if (redis.status === 'wait') return void (await redis.connect());
  await withDeadline(new Promise<void>((resolve) => redis.once('ready', () => resolve())), 2_000, 'Redis');
}

/** Creates the consumer group (and the stream) if missing; reading starts from the first entry. */
export async function ensureGroup(redis: Redis, streamKey: string, group: string): Promise<void> {
  try {
    await redis.xgroup('CREATE', prefixedKey(redis.options.keyPrefix, streamKey), group, '0', 'MKSTREAM');
  } catch (error) {
    if (!(error instanceof Error) || !error.message.includes('BUSYGROUP')) throw error;
  }
}
