import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Audited } from '@casebook/audit';
import { Access, type AccessContext, RequirePermission } from '@casebook/auth';
import { RateLimit } from '@casebook/rate-limit';
import { decodeCursor, type Page, PageQueryDto, toPage } from '@casebook/platform';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { type Conversation, ConversationsRepository } from './conversations.repository';
import { ownerScope } from './owner-scope';

class CreateConversationDto {
  @ApiProperty({ example: 'Q1 review' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;
}

@ApiTags('conversations')
@ApiBearerAuth()
@Controller({ path: 'conversations', version: '1' })
export class ConversationsController {
  constructor(private readonly conversations: ConversationsRepository) {}

  @Post()
  @RequirePermission('create', 'Conversation', { scoped: true })
  @Audited({ action: 'conversation.created', resource: { type: 'conversation', idFromResult: 'id' } })
  @ApiOperation({ summary: 'Start a conversation' })
  async create(
    @Body() body: CreateConversationDto,
    @Access() access: AccessContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Pick<Conversation, 'id' | 'title' | 'createdAt'>> {
    const conversation = await this.conversations.create(ownerScope(access), body.title);
    void reply.status(201).header('location', `/v1/conversations/${conversation.id}`);
    return { id: conversation.id, title: conversation.title, createdAt: conversation.createdAt };
  }

  @Get()
  @RequirePermission('read', 'Conversation', { scoped: true })
  @Audited({ action: 'conversation.listed' })
  @RateLimit('list')
  @ApiOperation({ summary: 'My conversations, newest first' })
  async list(@Query() page: PageQueryDto, @Access() access: AccessContext): Promise<Page<Conversation>> {
    const after = page.cursor ? String(decodeCursor(page.cursor, ['id']).id) : null;
    const rows = await this.conversations.list(ownerScope(access), after, page.limit);
    return toPage(rows, page.limit, (c) => ({ id: c.id }));
  }
}
