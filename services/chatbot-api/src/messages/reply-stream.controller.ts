import { Controller, Get, Headers, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { fromRequest } from '@casebook/audit';
import { Access, type AccessContext, RequirePermission } from '@casebook/auth';
import { writeEventStream, AuditedInService } from '@casebook/platform';
import { IsUUID } from 'class-validator';
import { ReplyStreamService } from './reply-stream.service';

class MessageParams {
  @IsUUID()
  id!: string;
}

/** Q4.2: `GET /v1/messages/:id/events` streams a reply over SSE, resumable with `Last-Event-ID`. */
@ApiTags('messages')
@ApiBearerAuth()
@Controller({ version: '1' })
export class ReplyStreamController {
  constructor(private readonly replies: ReplyStreamService) {}

  @AuditedInService('message.read, recorded by ReplyStreamService before the stream opens')
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
    return writeEventStream(reply, await this.replies.open(access, params.id, lastEventId, fromRequest(request)));
  }
}
