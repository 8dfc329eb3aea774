import { Injectable } from '@nestjs/common';
import type { AccessContext } from '@casebook/auth';
import { decodeCursor, type HttpReply, type Page, toPage } from '@casebook/platform';
import { type Conversation, ConversationsRepository } from './conversations.repository';
import { ownerScope } from './owner-scope';

/** The caller's own conversations: started (201 with `Location`) and listed newest first. */
@Injectable()
export class ConversationsService {
  constructor(private readonly conversations: ConversationsRepository) {}

  async create(
    access: AccessContext,
    title: string,
  ): Promise<HttpReply<Pick<Conversation, 'id' | 'title' | 'createdAt'>>> {
    const conversation = await this.conversations.create(ownerScope(access), title);
    return {
      status: 201,
      headers: { location: `/v1/conversations/${conversation.id}` },
      body: { id: conversation.id, title: conversation.title, createdAt: conversation.createdAt },
    };
  }

  async list(access: AccessContext, page: { cursor?: string; limit: number }): Promise<Page<Conversation>> {
    const after = page.cursor ? String(decodeCursor(page.cursor, ['id']).id) : null;
    const rows = await this.conversations.list(ownerScope(access), after, page.limit);
    return toPage(rows, page.limit, (c) => ({ id: c.id }));
  }
}
