import { Inject, Injectable } from '@nestjs/common';
import type { AccessContext } from '@casebook/auth';
import { CONFIG, decodeCursor, type HttpReply, type Page, ProblemError, toPage } from '@casebook/platform';
import { DataSource } from 'typeorm';
import type { ChatbotConfig } from '../config';
import { ConversationsRepository } from '../conversations/conversations.repository';
import { ownerScope } from '../conversations/owner-scope';
import { IdempotencyKeys } from '../idempotency/idempotency';
import { JobQueues } from '../jobs/job-queues.service';
import { type MessageView, MessagesRepository } from './messages.repository';
import { QuestionRouter } from './question-router';

export interface PostedQuestion {
  message: MessageView;
  reply: Pick<MessageView, 'id' | 'status' | 'lane'> & { links: { self: string; events: string } };
}

// Most privileged first: the role recorded on a message is the strongest the author held.
const ROLE_ORDER = ['admin', 'senior_analyst', 'analyst', 'auditor', 'moderator', 'guest'];

export function actorRoleOf(roles: string[]): string {
  return [...roles].sort((a, b) => (ROLE_ORDER.indexOf(a) + 1 || 99) - (ROLE_ORDER.indexOf(b) + 1 || 99))[0] ?? 'none';
}

@Injectable()
export class MessagesService {
  private readonly idempotency: IdempotencyKeys;

  constructor(
    private readonly db: DataSource,
    private readonly conversations: ConversationsRepository,
    private readonly messages: MessagesRepository,
    private readonly router: QuestionRouter,
    private readonly queues: JobQueues,
    @Inject(CONFIG) private readonly config: ChatbotConfig,
  ) {
    this.idempotency = new IdempotencyKeys(db);
  }

  /**
   * `POST /v1/conversations/:id/messages`: the question posted (see `post`), answered 202 with the reply's
   * `Location`, and `Idempotent-Replayed` when the response is the one stored for this Idempotency-Key.
   */
  async ask(
    access: AccessContext,
    conversationId: string,
    input: { content: string; parentId?: string },
    idempotencyKey: string | undefined,
  ): Promise<HttpReply<PostedQuestion>> {
    if (input.content.length > this.config.MESSAGE_MAX_CHARS) {
      throw ProblemError.validation([
        {
          field: 'content',
          in: 'body',
          message: `content must be at most ${this.config.MESSAGE_MAX_CHARS} characters`,
        },
      ]);
    }
    const result = await this.post(access, conversationId, input, idempotencyKey);
    return {
      status: result.status,
      headers: {
        location: result.body.reply.links.self,
        ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}),
      },
      body: result.body,
    };
  }

  /** The messages of a conversation the caller owns, oldest first, every branch. */
  async list(access: AccessContext, conversationId: string, page: { cursor?: string; limit: number }) {
    const after = page.cursor ? String(decodeCursor(page.cursor, ['id']).id) : null;
    const rows = await this.messages.list(ownerScope(access), conversationId, after, page.limit);
    return toPage(rows, page.limit, (m) => ({ id: m.id })) satisfies Page<MessageView>;
  }

  async find(access: AccessContext, messageId: string): Promise<MessageView> {
    const message = await this.messages.find(ownerScope(access), messageId);
    if (!message) throw ProblemError.notFound('Message');
    return message;
  }

  /** The branch from the first message of the conversation to this one. */
  async path(access: AccessContext, messageId: string): Promise<{ data: MessageView[] }> {
    const path = await this.messages.path(ownerScope(access), messageId);
    if (path.length === 0) throw ProblemError.notFound('Message');
    return { data: path };
  }

  /**
   * Q4.2: the question and its reply row are stored, then the answer is queued; the caller gets 202 with
   * the reply's id at once and follows it over SSE or GET, now or after closing the browser.
   */
  async post(
    access: AccessContext,
    conversationId: string,
    input: { content: string; parentId?: string },
    idempotencyKey: string | undefined,
  ): Promise<{ status: number; body: PostedQuestion; replayed: boolean }> {
    const scope = ownerScope(access);
    const routed = await this.router.route(input.content, scope.ownerId);
    const work = async (tx: Parameters<Parameters<IdempotencyKeys['run']>[3]>[0]) => {
      if (!(await this.conversations.find(scope, conversationId, tx))) throw ProblemError.notFound('Conversation');
      if (input.parentId && !(await this.messages.belongsTo(tx, scope, input.parentId, conversationId))) {
        throw ProblemError.validation([
          { field: 'parentId', in: 'body', message: 'parentId must be a message of this conversation' },
        ]);
      }
      const { message, reply } = await this.messages.insertQuestion(tx, scope, {
        conversationId,
        parentId: input.parentId ?? null,
        content: input.content,
        actorRole: actorRoleOf(access.principal.actingFor?.roles ?? access.principal.roles),
        intent: routed.intent,
        lane: routed.lane,
        modelVersion: routed.modelVersion,
      });
      const body: PostedQuestion = {
        message,
        reply: {
          id: reply.id,
          status: reply.status,
          lane: reply.lane,
          links: { self: `/v1/messages/${reply.id}`, events: `/v1/messages/${reply.id}/events` },
        },
      };
      return { status: 202, body };
    };
    const result = idempotencyKey
      ? await this.idempotency.run(
          `${access.principal.kind}:${access.principal.id}`,
          idempotencyKey,
          { conversationId, ...input },
          work,
        )
      : { ...(await this.db.transaction(work)), replayed: false };
    if (!result.replayed) {
      await this.queues.enqueueAnswer(result.body.reply.lane ?? 'short', {
        replyId: result.body.reply.id,
        ownerId: scope.ownerId,
      });
    }
    return result;
  }
}
