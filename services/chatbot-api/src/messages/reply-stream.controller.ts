import { Controller, Get, Headers, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditRecorder, fromRequest } from '@casebook/audit';
import { Access, type AccessContext, RequirePermission } from '@casebook/auth';
import { CONFIG, LOGGER, type Logger, ProblemError } from '@casebook/platform';
import { IsUUID } from 'class-validator';
import type { ChatbotConfig } from '../config';
import { ownerScope } from '../conversations/owner-scope';
import { isStreamId, type ReplyEvent, ReplyEventLog, ReplyNotifications } from '../jobs/reply-events';
import { type MessageView, MessagesRepository } from './messages.repository';

class MessageParams {
  @IsUUID()
  id!: string;
}

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
 * Q4.2: `GET /v1/messages/:id/events` streams a reply's status and tokens over SSE. Events come from the
 * reply's Redis stream, so a client that reconnects with `Last-Event-ID` gets only what it missed; a
 * client that comes back after the stream expired (or after Redis lost it) gets the stored answer.
 */
@ApiTags('messages')
@ApiBearerAuth()
@Controller({ version: '1' })
export class ReplyStreamController {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly events: ReplyEventLog,
    private readonly notifications: ReplyNotifications,
    @Inject(CONFIG) private readonly config: ChatbotConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly audit: AuditRecorder,
  ) {}

  @Get('messages/:id/events')
  @RequirePermission('read', 'Message', { scoped: true })
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Follow a reply: status, tokens, done (resumable with Last-Event-ID)' })
  async stream(
    @Param() params: MessageParams,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Access() access: AccessContext,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const scope = ownerScope(access);
    const message = await this.messages.find(scope, params.id);
    if (!message || message.author !== 'assistant') throw ProblemError.notFound('Reply');
    // A hijacked response skips the audit hook (@Audited): the read is recorded before the stream opens.
    await this.audit.record({
      ...fromRequest(request),
      action: 'message.read',
      outcome: 'success',
      resource: { type: 'message', id: params.id },
    });

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const aborted = new AbortController();
    raw.on('close', () => aborted.abort());
    const write = (text: string) => {
      if (!aborted.signal.aborted) raw.write(text);
    };
    write('retry: 2000\n\n');

    let lastId = isStreamId(lastEventId) ? lastEventId : '0';
    let seen = lastId !== '0';
    const deadline = Date.now() + this.config.SSE_MAX_SECONDS * 1000;
    let lastWrite = Date.now();
    try {
      while (!aborted.signal.aborted && Date.now() < deadline) {
        // Armed before the read: an event appended while `after()` is in flight wakes this loop at once
        // instead of being missed (a lost wake-up costs the stream a fallback poll).
        const wake = this.notifications.arm(params.id, FALLBACK_POLL_MS, aborted.signal);
        let events: ReplyEvent[] = [];
        let redisAvailable = true;
        try {
          events = await this.events.after(params.id, lastId);
        } catch {
          redisAvailable = false;
        }
        for (const event of events) {
          write(frame(event));
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
          const current = await this.messages.find(scope, params.id);
          if (current && (current.status === 'done' || current.status === 'failed')) {
            wake.cancel();
            write(frame(finalEvent(current)));
            return;
          }
        }
        if (Date.now() - lastWrite > HEARTBEAT_MS) {
          write(': ping\n\n');
          lastWrite = Date.now();
        }
        // Events already read: go round again at once (the notification for them may have armed nothing new).
        if (events.length > 0) wake.cancel();
        await wake.woken;
      }
    } catch (error) {
      this.logger.warn({ err: error, replyId: params.id }, 'reply stream ended by an error');
    } finally {
      raw.end();
    }
  }
}
