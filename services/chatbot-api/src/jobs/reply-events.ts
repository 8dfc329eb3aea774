import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import { bestEffort } from '@casebook/platform';

export type ReplyEventType = 'status' | 'token' | 'done' | 'failed';

export interface ReplyEvent {
  /** Redis stream id: the SSE event id, and where a client resumes with Last-Event-ID. */
  id: string;
  type: ReplyEventType;
  data: string;
}

const streamKey = (replyId: string) => `reply:{${replyId}}:events`;
const STREAM_TTL_SECONDS = 3_600;
const MAX_EVENTS = 5_000;
const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

export const isStreamId = (value: unknown): value is string => typeof value === 'string' && STREAM_ID.test(value);

/**
 * Q4.2: what happens to a reply (status, tokens, end) is appended to a Redis stream per reply, so a
 * reader can start late or resume after a dropped connection from the last event id it saw. A
 * notification on one pub/sub channel wakes the readers; none of them holds a blocking connection.
 */
export class ReplyEventLog {
  constructor(
    private readonly redis: Redis,
    /** Pub/sub channels are not prefixed by ioredis; the key prefix is added by hand. */
    readonly channel: string,
  ) {}

  async append(replyId: string, type: ReplyEventType, data: string): Promise<void> {
    const key = streamKey(replyId);
    await this.redis
      .multi()
      .xadd(key, 'MAXLEN', '~', String(MAX_EVENTS), '*', 'type', type, 'data', data)
      .expire(key, STREAM_TTL_SECONDS)
      .publish(this.channel, replyId)
      .exec();
  }

  /** Events after `afterId` (exclusive; '0' for all). */
  async after(replyId: string, afterId: string): Promise<ReplyEvent[]> {
    const start = afterId === '0' ? '-' : `(${afterId}`;
    const entries = (await this.redis.xrange(streamKey(replyId), start, '+', 'COUNT', 1_000)) as [string, string[]][];
    return entries.map(([id, fields]) => {
      const record: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) record[fields[i]!] = fields[i + 1]!;
      return { id, type: record.type as ReplyEventType, data: record.data ?? '' };
    });
  }

  async delete(replyId: string): Promise<void> {
    await this.redis.del(streamKey(replyId));
  }
}

/** One subscriber connection per API instance; SSE handlers wait on it for their reply's next event. */
export class ReplyNotifications {
  private readonly emitter = new EventEmitter();

  constructor(
    private readonly subscriber: Redis,
    channel: string,
  ) {
    this.emitter.setMaxListeners(0);
    subscriber.on('message', (_channel: string, replyId: string) => this.emitter.emit(replyId));
    void bestEffort(subscriber.subscribe(channel), 'reply-events.subscribe');
  }

  /**
   * Starts listening for the next notification for `replyId` now; `woken` resolves on it, or after `timeoutMs`
   * (the fallback poll). Arm before reading the events: a notification published while the read is in flight
   * then wakes the reader instead of being missed. `cancel` releases the listener and its timer.
   */
  arm(replyId: string, timeoutMs: number, signal: AbortSignal): { woken: Promise<void>; cancel: () => void } {
    let cancel!: () => void;
    const woken = new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.emitter.off(replyId, done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.emitter.once(replyId, done);
      signal.addEventListener('abort', done, { once: true });
      cancel = done;
    });
    return { woken, cancel };
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
