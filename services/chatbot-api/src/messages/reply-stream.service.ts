import { Inject, Injectable } from '@nestjs/common';
import { type AuditInput, AuditRecorder } from '@casebook/audit';
import type { AccessContext } from '@casebook/auth';
import { CONFIG, type EventFeed, LOGGER, type Logger, ProblemError } from '@casebook/platform';
import type { ChatbotConfig } from '../config';
import { ownerScope, type OwnerScope } from '../conversations/owner-scope';
import { isStreamId, type ReplyEvent, ReplyEventLog, ReplyNotifications } from '../jobs/reply-events';
import { type MessageView, MessagesRepository } from './messages.repository';

const HEARTBEAT_MS = 15_000;
const FALLBACK_POLL_MS = 1_000;

function frame(event: Pick<ReplyEvent, 'id' | 'type' | 'data'>): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${event.data.replace(/\n/g, '\ndata: ')}\n\n`;
}

function finalEvent(message: MessageView): Pick<ReplyEvent, 'id' | 'type' | 'data'> {
  const id = `0-${new Date(message.completedAt ?? message.createdAt).getTime()}`;
  return message.status === 'done'
    ? {
        id,
        type: 'done',
        data: JSON.stringify({ content: message.content, provider: message.provider, fallback: message.fallback }),
      }
    : { id, type: 'failed', data: JSON.stringify({ errorCode: message.errorCode }) };
}

/**
 * Q4.2: a reply's status and tokens as server-sent events. Events come from the reply's Redis stream, so
 * a client that reconnects with `Last-Event-ID` gets only what it missed; a client that comes back after
 * the stream expired (or after Redis lost it) gets the stored answer from Postgres.
 */
@Injectable()
export class ReplyStreamService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly events: ReplyEventLog,
    private readonly notifications: ReplyNotifications,
    @Inject(CONFIG) private readonly config: ChatbotConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly audit: AuditRecorder,
  ) {}

  /**
   * Checks that the reply is the caller's and records the read, then hands back the feed. A stream
   * skips the audit hook (`@Audited`), so the read is recorded here, before the stream opens.
   */
  async open(
    access: AccessContext,
    replyId: string,
    lastEventId: string | undefined,
    requester: Pick<AuditInput, 'actor' | 'ip' | 'requestId'>,
  ): Promise<EventFeed> {
    const scope = ownerScope(access);
    const message = await this.messages.find(scope, replyId);
    if (!message || message.author !== 'assistant') throw ProblemError.notFound('Reply');
    await this.audit.record({
      ...requester,
      action: 'message.read',
      outcome: 'success',
      resource: { type: 'message', id: replyId },
    });
    return (signal) => this.follow(scope, replyId, lastEventId, signal);
  }

  private async *follow(
    scope: OwnerScope,
    replyId: string,
    lastEventId: string | undefined,
    signal: AbortSignal,
  ): AsyncGenerator<string> {
    yield 'retry: 2000\n\n';
    let lastId = isStreamId(lastEventId) ? lastEventId : '0';
    let seen = lastId !== '0';
    const deadline = Date.now() + this.config.SSE_MAX_SECONDS * 1000;
    let lastWrite = Date.now();
    try {
      while (!signal.aborted && Date.now() < deadline) {
        // Armed before the read: an event appended while `after()` is in flight wakes this loop at once
        // instead of being missed (a lost wake-up costs the stream a fallback poll).
        const wake = this.notifications.arm(replyId, FALLBACK_POLL_MS, signal);
        let events: ReplyEvent[] = [];
        let redisAvailable = true;
        try {
          events = await this.events.after(replyId, lastId);
        } catch {
          redisAvailable = false;
        }
        for (const event of events) {
          yield frame(event);
          lastId = event.id;
          seen = true;
          lastWrite = Date.now();
          if (event.type === 'done' || event.type === 'failed') {
            wake.cancel();
            return;
          }
        }
        if (events.length === 0 && (!redisAvailable || !seen)) {
          // No stream to follow (expired, wiped, or Redis away): Postgres has the outcome once it exists.
          const current = await this.messages.find(scope, replyId);
          if (current && (current.status === 'done' || current.status === 'failed')) {
            wake.cancel();
            yield frame(finalEvent(current));
            return;
          }
        }
        if (Date.now() - lastWrite > HEARTBEAT_MS) {
          yield ': ping\n\n';
          lastWrite = Date.now();
        }
        // Events already read: go round again at once (the notification for them may have armed nothing new).
        if (events.length > 0) wake.cancel();
        await wake.woken;
      }
    } catch (error) {
      this.logger.warn({ err: error, replyId }, 'reply stream ended by an error');
    }
  }
}
