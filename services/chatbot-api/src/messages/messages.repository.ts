import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { queryRows, sql, type SqlRunner } from '@casebook/platform';
import { DataSource } from 'typeorm';
import { UserKeys } from '../crypto/user-keys';
import type { EveryOwnerScope, OwnerScope } from '../conversations/owner-scope';

import type { Lane, MessageStatus } from './message-types';

export type { Lane, MessageStatus } from './message-types';

export interface MessageView {
  id: string;
  conversationId: string;
  parentId: string | null;
  author: 'user' | 'assistant';
  status: MessageStatus;
  intent: string | null;
  lane: Lane | null;
  content: string | null;
  createdAt: Date;
  completedAt: Date | null;
  modelVersion: string | null;
  provider: string | null;
  fallback: boolean;
  errorCode: string | null;
}

interface Row extends Omit<MessageView, 'content'> {
  contentCiphertext: Buffer | null;
  ownerId: string;
}

const COLUMNS = sql`id, conversation_id AS "conversationId", parent_id AS "parentId", author, status, intent, lane,
  content_ciphertext AS "contentCiphertext", created_at AS "createdAt", completed_at AS "completedAt",
  model_version AS "modelVersion", provider, fallback, error_code AS "errorCode", owner_id AS "ownerId"`;

/** A reply the worker claimed. */
export interface StartedReply {
  conversationId: string;
  parentId: string;
  lane: Lane;
  createdAt: Date;
}

export interface Answer {
  content: string;
  intent: string | null;
  modelVersion: string | null;
  provider: string;
  fallback: boolean;
}

/**
 * Q3.1: messages form a tree (`parent_id`); a branch starts from any earlier message. Every method takes
 * the owner's scope (`owner-scope.ts`), and every statement filters on it.
 */
@Injectable()
export class MessagesRepository {
  constructor(
    private readonly db: DataSource,
    private readonly keys: UserKeys,
  ) {}

  private async view(row: Row): Promise<MessageView> {
    const { contentCiphertext, ownerId, ...rest } = row;
    return {
      ...rest,
      content: contentCiphertext ? await this.keys.decrypt(ownerId, contentCiphertext, `message:${row.id}`) : null,
    };
  }

  /** The question and its (queued) reply, written together: a reply exists exactly once per question. */
  async insertQuestion(
    tx: SqlRunner,
    scope: OwnerScope,
    input: {
      conversationId: string;
      parentId: string | null;
      content: string;
      actorRole: string;
      intent: string | null;
      lane: Lane;
      modelVersion: string | null;
    },
  ): Promise<{ message: MessageView; reply: MessageView }> {
    const messageId = randomUUID();
    const replyId = randomUUID();
    const ciphertext = await this.keys.encrypt(scope.ownerId, input.content, `message:${messageId}`);
    const common = sql`${input.conversationId}, ${scope.ownerId}`;
    // The reply is created a microsecond after the question, so ordering by created_at keeps the tree order.
    const rows = await queryRows<Row>(
      tx,
      sql`INSERT INTO messages (id, created_at, conversation_id, owner_id, parent_id, author, actor_role, intent, status, lane,
                                content_ciphertext, model_version, completed_at)
          VALUES (${messageId}, clock_timestamp(), ${common}, ${input.parentId}, 'user', ${input.actorRole}, ${input.intent},
                  'done', NULL, ${ciphertext}, ${input.modelVersion}, clock_timestamp()),
                 (${replyId}, clock_timestamp(), ${common}, ${messageId}, 'assistant', ${input.actorRole}, ${input.intent},
                  'queued', ${input.lane}, NULL, NULL, NULL)
          RETURNING ${COLUMNS}`,
    );
    await queryRows(
      tx,
      sql`UPDATE conversations SET updated_at = now() WHERE id = ${input.conversationId} AND owner_id = ${scope.ownerId}`,
    );
    const [message, reply] = await Promise.all(rows.map((row) => this.view(row)));
    return { message: message!, reply: reply! };
  }

  async find(scope: OwnerScope, id: string, runner: SqlRunner = this.db): Promise<MessageView | null> {
    const rows = await queryRows<Row>(
      runner,
      sql`SELECT ${COLUMNS} FROM messages WHERE id = ${id} AND owner_id = ${scope.ownerId}`,
    );
    return rows[0] ? this.view(rows[0]) : null;
  }

  /** Whether `id` is a message of `conversationId` (branch points must be). */
  async belongsTo(tx: SqlRunner, scope: OwnerScope, id: string, conversationId: string): Promise<boolean> {
    const rows = await queryRows(
      tx,
      sql`SELECT 1 FROM messages WHERE id = ${id} AND owner_id = ${scope.ownerId} AND conversation_id = ${conversationId}`,
    );
    return rows.length > 0;
  }

  /** Keyset page after the message `afterId` (its exact timestamp is read in SQL, at full precision). */
  async list(scope: OwnerScope, conversationId: string, afterId: string | null, limit: number): Promise<MessageView[]> {
    const rows = await queryRows<Row>(
      this.db,
      sql`SELECT ${COLUMNS} FROM messages WHERE conversation_id = ${conversationId} AND owner_id = ${scope.ownerId}
            AND (${afterId}::uuid IS NULL OR (created_at, id) >
                 (SELECT c.created_at, c.id FROM messages c WHERE c.id = ${afterId} AND c.owner_id = ${scope.ownerId}))
          ORDER BY created_at, id LIMIT ${limit + 1}`,
    );
    return Promise.all(rows.map((row) => this.view(row)));
  }

  /** Q3.1: the branch from the root to `id`, oldest first, by a recursive CTE over `parent_id`. */
  async path(scope: OwnerScope, id: string, maxDepth = 200): Promise<MessageView[]> {
    const rows = await queryRows<Row>(
      this.db,
      sql`WITH RECURSIVE branch AS (
            SELECT m.*, 1 AS depth FROM messages m WHERE m.id = ${id} AND m.owner_id = ${scope.ownerId}
            UNION ALL
            SELECT p.*, b.depth + 1 FROM messages p JOIN branch b ON p.id = b.parent_id
             WHERE p.owner_id = ${scope.ownerId} AND b.depth < ${maxDepth}
          )
          SELECT ${COLUMNS} FROM branch ORDER BY depth DESC`,
    );
    return Promise.all(rows.map((row) => this.view(row)));
  }

  /** Worker: take a reply that is not done yet. Null when it is done (a retried job after success) or gone. */
  async start(scope: OwnerScope, replyId: string): Promise<StartedReply | null> {
    const rows = await queryRows<StartedReply>(
      this.db,
      sql`UPDATE messages SET status = 'running'
           WHERE id = ${replyId} AND owner_id = ${scope.ownerId} AND author = 'assistant' AND status IN ('queued', 'running')
          RETURNING conversation_id AS "conversationId", parent_id AS "parentId", lane, created_at AS "createdAt"`,
    );
    return rows[0] ?? null;
  }

  /**
   * Q4.3: the answer is written once. A second completion of the same reply (a stalled job retried after
   * the first attempt finished) changes nothing and reports false.
   */
  async complete(scope: OwnerScope, replyId: string, answer: Answer): Promise<boolean> {
    const ciphertext = await this.keys.encrypt(scope.ownerId, answer.content, `message:${replyId}`);
    const rows = await queryRows(
      this.db,
      sql`UPDATE messages SET status = 'done', content_ciphertext = ${ciphertext}, draft_ciphertext = NULL,
                 intent = COALESCE(${answer.intent}, intent), model_version = COALESCE(${answer.modelVersion}, model_version),
                 provider = ${answer.provider}, fallback = ${answer.fallback}, completed_at = clock_timestamp()
           WHERE id = ${replyId} AND owner_id = ${scope.ownerId} AND status <> 'done' RETURNING id`,
    );
    return rows.length > 0;
  }

  /** Q4.3: keep the generated text before anything else can fail, so a retried job does not generate again. */
  async saveDraft(scope: OwnerScope, replyId: string, draft: string): Promise<void> {
    const ciphertext = await this.keys.encrypt(scope.ownerId, draft, `draft:${replyId}`);
    await queryRows(
      this.db,
      sql`UPDATE messages SET draft_ciphertext = ${ciphertext}
           WHERE id = ${replyId} AND owner_id = ${scope.ownerId} AND status <> 'done'`,
    );
  }

  async draft(scope: OwnerScope, replyId: string): Promise<string | null> {
    const rows = await queryRows<{ draft: Buffer | null }>(
      this.db,
      sql`SELECT draft_ciphertext AS draft FROM messages WHERE id = ${replyId} AND owner_id = ${scope.ownerId}`,
    );
    return rows[0]?.draft ? this.keys.decrypt(scope.ownerId, rows[0].draft, `draft:${replyId}`) : null;
  }

  async fail(scope: OwnerScope, replyId: string, errorCode: string): Promise<void> {
    await queryRows(
      this.db,
      sql`UPDATE messages SET status = 'failed', error_code = ${errorCode}, completed_at = clock_timestamp()
           WHERE id = ${replyId} AND owner_id = ${scope.ownerId} AND status <> 'done'`,
    );
  }

  /** Q3.4: the erasure deletes every message of the owner, in the erasure's transaction; answers how many. */
  async eraseAll(tx: SqlRunner, scope: OwnerScope): Promise<number> {
    return (await queryRows(tx, sql`DELETE FROM messages WHERE owner_id = ${scope.ownerId} RETURNING id`)).length;
  }

  /** Replies accepted but never picked up (their enqueue was lost with a process): the sweeper requeues them. */
  orphans(
    _scope: EveryOwnerScope,
    olderThanSeconds: number,
    limit: number,
  ): Promise<{ id: string; lane: Lane; ownerId: string }[]> {
    return queryRows(
      this.db,
      sql`SELECT id, lane, owner_id AS "ownerId" FROM messages
           WHERE author = 'assistant' AND status IN ('queued', 'running')
             AND created_at < now() - make_interval(secs => ${olderThanSeconds}) AND created_at > now() - interval '1 day'
           ORDER BY created_at LIMIT ${limit}`,
    );
  }

  /** Monthly partitions of `messages` `months` ahead (a function of the schema); answers how many it made. */
  async ensurePartitions(_scope: EveryOwnerScope, months: number): Promise<number> {
    const [row] = await queryRows<{ created: number }>(
      this.db,
      sql`SELECT ensure_message_partitions(${months}) AS created`,
    );
    return row!.created;
  }
}
