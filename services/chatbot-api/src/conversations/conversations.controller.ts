import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Audited } from '@casebook/audit';
import { Access, type AccessContext, RequirePermission } from '@casebook/auth';
import { RateLimit } from '@casebook/rate-limit';
import { type Page, PageQueryDto, sendReply } from '@casebook/platform';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { Conversation } from './conversations.repository';
import { ConversationsService } from './conversations.service';

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
  constructor(private readonly conversations: ConversationsService) {}

  @Post()
  @RequirePermission('create', 'Conversation', { scoped: true })
  @Audited({ action: 'conversation.created', resource: { type: 'conversation', idFromResult: 'id' } })
  @ApiOperation({ summary: 'Start a conversation' })
  async create(
    @Body() body: CreateConversationDto,
    @Access() access: AccessContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Pick<Conversation, 'id' | 'title' | 'createdAt'>> {
    return sendReply(reply, await this.conversations.create(access, body.title));
  }

  @Get()
  @RequirePermission('read', 'Conversation', { scoped: true })
  @Audited({ action: 'conversation.listed' })
  @RateLimit('list')
  @ApiOperation({ summary: 'My conversations, newest first' })
  async list(@Query() page: PageQueryDto, @Access() access: AccessContext): Promise<Page<Conversation>> {
    return this.conversations.list(access, page);
  }
}
