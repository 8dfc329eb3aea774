import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Audited } from '@casebook/audit';
import { Access, type AccessContext, RequirePermission } from '@casebook/auth';
import { RateLimit } from '@casebook/rate-limit';
import { type Page, PageQueryDto, sendReply } from '@casebook/platform';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import type { MessageView } from './messages.repository';
import { type PostedQuestion, MessagesService } from './messages.service';

class ConversationParams {
  @IsUUID()
  id!: string;
}

class MessageParams {
  @IsUUID()
  id!: string;
}

class PostMessageDto {
  @ApiProperty({ example: 'revenue in EMEA for Q1 2024 by category' })
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  content!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Branch from this message instead of the end of the thread.' })
  @IsOptional()
  @IsUUID()
  parentId?: string;
}

@ApiTags('messages')
@ApiBearerAuth()
@Controller({ version: '1' })
export class MessagesController {
  constructor(private readonly service: MessagesService) {}

  @Post('conversations/:id/messages')
  @RequirePermission('create', 'Message', { scoped: true })
  // The length, never the text; the event id follows the Idempotency-Key, so a retry is one event.
  @Audited({
    action: 'message.created',
    resource: { type: 'conversation', idParam: 'id' },
    details: ({ request }) => ({ length: (request.body as PostMessageDto).content.length }),
  })
  @RateLimit('chat:send')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key and body within 24 h → the first response again.',
  })
  @ApiOperation({ summary: 'Ask a question: 202 with the queued reply to follow' })
  async post(
    @Param() params: ConversationParams,
    @Body() body: PostMessageDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Access() access: AccessContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostedQuestion> {
    return sendReply(reply, await this.service.ask(access, params.id, body, idempotencyKey));
  }

  @Get('conversations/:id/messages')
  @RequirePermission('read', 'Message', { scoped: true })
  @Audited({ action: 'conversation.read', resource: { type: 'conversation', idParam: 'id' } })
  @RateLimit('list')
  @ApiOperation({ summary: 'Messages of a conversation, oldest first (every branch)' })
  async list(
    @Param() params: ConversationParams,
    @Query() page: PageQueryDto,
    @Access() access: AccessContext,
  ): Promise<Page<MessageView>> {
    return this.service.list(access, params.id, page);
  }

  @Get('messages/:id')
  @RequirePermission('read', 'Message', { scoped: true })
  @Audited({ action: 'message.read', resource: { type: 'message', idParam: 'id' } })
  @ApiOperation({ summary: 'One message: status and, when done, content' })
  async get(@Param() params: MessageParams, @Access() access: AccessContext): Promise<MessageView> {
    return this.service.find(access, params.id);
  }

  @Get('messages/:id/path')
  @RequirePermission('read', 'Message', { scoped: true })
  @Audited({ action: 'message.read', resource: { type: 'message', idParam: 'id' } })
  @ApiOperation({ summary: 'The branch from the first message to this one' })
  async path(@Param() params: MessageParams, @Access() access: AccessContext): Promise<{ data: MessageView[] }> {
    return this.service.path(access, params.id);
  }
}
