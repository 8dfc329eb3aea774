import { Body, Controller, Get, Headers, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Audited } from '@casebook/audit';
import { Access, type AccessContext, RequirePermission } from '@casebook/auth';
import { RateLimit } from '@casebook/rate-limit';
import { CONFIG, decodeCursor, type Page, PageQueryDto, ProblemError, toPage } from '@casebook/platform';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import type { ChatbotConfig } from '../config';
import { ownerScope } from '../conversations/owner-scope';
import { type MessageView, MessagesRepository } from './messages.repository';
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
  constructor(
    private readonly service: MessagesService,
    private readonly messages: MessagesRepository,
    @Inject(CONFIG) private readonly config: ChatbotConfig,
  ) {}

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
    if (body.content.length > this.config.MESSAGE_MAX_CHARS) {
      throw ProblemError.validation([
        {
          field: 'content',
          in: 'body',
          message: `content must be at most ${this.config.MESSAGE_MAX_CHARS} characters`,
        },
      ]);
    }
    const result = await this.service.post(access, params.id, body, idempotencyKey);
    void reply.status(result.status).header('location', result.body.reply.links.self);
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.body;
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
    const after = page.cursor ? String(decodeCursor(page.cursor, ['id']).id) : null;
    const rows = await this.messages.list(ownerScope(access), params.id, after, page.limit);
    return toPage(rows, page.limit, (m) => ({ id: m.id }));
  }

  @Get('messages/:id')
  @RequirePermission('read', 'Message', { scoped: true })
  @Audited({ action: 'message.read', resource: { type: 'message', idParam: 'id' } })
  @ApiOperation({ summary: 'One message: status and, when done, content' })
  async get(@Param() params: MessageParams, @Access() access: AccessContext): Promise<MessageView> {
    const message = await this.messages.find(ownerScope(access), params.id);
    if (!message) throw ProblemError.notFound('Message');
    return message;
  }

  @Get('messages/:id/path')
  @RequirePermission('read', 'Message', { scoped: true })
  @Audited({ action: 'message.read', resource: { type: 'message', idParam: 'id' } })
  @ApiOperation({ summary: 'The branch from the first message to this one' })
  async path(@Param() params: MessageParams, @Access() access: AccessContext): Promise<{ data: MessageView[] }> {
    const path = await this.messages.path(ownerScope(access), params.id);
    if (path.length === 0) throw ProblemError.notFound('Message');
    return { data: path };
  }
}
