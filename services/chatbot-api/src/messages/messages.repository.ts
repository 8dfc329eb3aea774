import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { returnedRows } from '@casebook/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { UserKeys } from '../crypto/user-keys';
import type { OwnerScope } from '../conversations/owner-scope';

export type MessageStatus = 'queued' | 'running' | 'done' | 'failed';
export type Lane = 'short' | 'long';

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

const COLUMNS = `id, conversation_id AS "conversationId", parent_id AS "parentId", author, status, intent, lane,
  content_ciphertext AS "contentCiphertext", created_at AS "createdAt", completed_at AS "completedAt",
  model_version AS "modelVersion", provider, fallback, error_code AS "errorCode", owner_id AS "ownerId"`;

type Runner = Pick<EntityManager, 'query'>;

/** Q3.1: messages form a tree (`parent_id`); a branch starts from any earlier message. */
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
    tx: Runner,
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
    // The reply is created a microsecond after the question, so ordering by created_at keeps the tree order.
    const rows: Row[] = await tx.query(
      `INSERT INTO messages (id, created_at, conversation_id, owner_id, parent_id, author, actor_role, intent, status, lane,
                             content_ciphertext, model_version, completed_at)
       VALUES ($1, clock_timestamp(), $3, $4, $5, 'user', $6, $7, 'done', NULL, $8, $9, clock_timestamp()),
              ($2, clock_timestamp(), $3, $4, $1, 'assistant', $6, $7, 'queued', $10, NULL, NULL, NULL)
       RETURNING ` + COLUMNS,
      [
        messageId,
        replyId,
        input.conversationId,
        scope.ownerId,
        input.parentId,
        input.actorRole,
        input.intent,
        ciphertext,
        input.modelVersion,
        input.lane,
      ],
    );
    await tx.query('UPDATE conversations SET updated_at = now() WHERE id = $1', [input.conversationId]);
    const [message, reply] = await Promise.all(rows.map((row) => this.view(row)));
    return { message: message!, reply: reply! };
  }

  async find(scope: OwnerScope, id: string, runner: Runner = this.db): Promise<MessageView | null> {
    const rows: Row[] = await runner.query('SELECT ' + COLUMNS + ' FROM messages WHERE id = $1 AND owner_id = $2', [
      id,
      scope.ownerId,
    ]);
    return rows[0] ? this.view(rows[0]) : null;
  }

  /** Whether `id` is a message of `conversationId` (branch points must be). */
  async belongsTo(tx: Runner, scope: OwnerScope, id: string, conversationId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      'SELECT 1 FROM messages WHERE id = $1 AND owner_id = $2 AND conversation_id = $3',
      [id, scope.ownerId, conversationId],
    );
    return rows.length > 0;
  }

  /** Keyset page after the message `afterId` (its exact timestamp is read in SQL, at full precision). */
  async list(scope: OwnerScope, conversationId: string, afterId: string | null, limit: number): Promise<MessageView[]> {
    const rows: Row[] = await this.db.query(
      'SELECT ' +
        COLUMNS +
        ` FROM messages WHERE conversation_id = $1 AND owner_id = $2
           AND ($3::uuid IS NULL OR (created_at, id) > (SELECT c.created_at, c.id FROM messages c WHERE c.id = $3 AND c.owner_id = $2))
         ORDER BY created_at, id LIMIT $4`,
      [conversationId, scope.ownerId, afterId, limit + 1],
    );
    return Promise.all(rows.map((row) => this.view(row)));
  }

  /** Q3.1: the branch from the root to `id`, oldest first, by a recursive CTE over `parent_id`. */
  async path(scope: OwnerScope, id: string, maxDepth = 200): Promise<MessageView[]> {
    const rows: Row[] = await this.db.query(
      `WITH RECURSIVE branch AS (
         SELECT m.*, 1 AS depth FROM messages m WHERE m.id = $1 AND m.owner_id = $2
         UNION ALL
         SELECT p.*, b.depth + 1 FROM messages p JOIN branch b ON p.id = b.parent_id
          WHERE p.owner_id = $2 AND b.depth < $3
       )
       SELECT ` +
        COLUMNS +
        ' FROM branch ORDER BY depth DESC',
      [id, scope.ownerId, maxDepth],
    );
    return Promise.all(rows.map((row) => this.view(row)));
  }

  /** Worker: take a reply that is not done yet. Null when it is done (a retried job after success) or gone. */
  async start(
    replyId: string,
  ): Promise<{ ownerId: string; conversationId: string; parentId: string; lane: Lane; createdAt: Date } | null> {
    const rows = returnedRows<{
      ownerId: string;
      conversationId: string;
      parentId: string;
      lane: Lane;
      createdAt: Date;
    }>(
      await this.db.query(
        `UPDATE messages SET status = 'running' WHERE id = $1 AND author = 'assistant' AND status IN ('queued', 'running')
         RETURNING owner_id AS "ownerId", conversation_id AS "conversationId", parent_id AS "parentId", lane, created_at AS "createdAt"`,
        [replyId],
      ),
    );
    return rows[0] ?? null;
  }

  /**
   * Q4.3: the answer is written once. A second completion of the same reply (a stalled job retried after
   * the first attempt finished) changes nothing and reports false.
   */
  async complete(
    replyId: string,
    ownerId: string,
    answer: {
      content: string;
      intent: string | null;
      modelVersion: string | null;
      provider: string;
      fallback: boolean;
    },
  ): Promise<boolean> {
    const ciphertext = await this.keys.encrypt(ownerId, answer.content, `message:${replyId}`);
    const rows = returnedRows(
      await this.db.query(
        `UPDATE messages SET status = 'done', content_ciphertext = $2, draft_ciphertext = NULL, intent = COALESCE($3, intent),
                model_version = COALESCE($4, model_version), provider = $5, fallback = $6, completed_at = clock_timestamp()
          WHERE id = $1 AND status <> 'done' RETURNING id`,
        [replyId, ciphertext, answer.intent, answer.modelVersion, answer.provider, answer.fallback],
      ),
    );
    return rows.length > 0;
  }

  /** Q4.3: keep the generated text before anything else can fail, so a retried job does not generate again. */
  async saveDraft(replyId: string, ownerId: string, draft: string): Promise<void> {
    const ciphertext = await this.keys.encrypt(ownerId, draft, `draft:${replyId}`);
    await this.db.query("UPDATE messages SET draft_ciphertext = $2 WHERE id = $1 AND status <> 'done'", [
      replyId,
      ciphertext,
    ]);
  }

  async draft(replyId: string, ownerId: string): Promise<string | null> {
    const rows: { draft: Buffer | null }[] = await this.db.query(
      'SELECT draft_ciphertext AS draft FROM messages WHERE id = $1',
      [replyId],
    );
    return rows[0]?.draft ? this.keys.decrypt(ownerId, rows[0].draft, `draft:${replyId}`) : null;
  }

  async fail(replyId: string, errorCode: string): Promise<void> {
    await this.db.query(
      "UPDATE messages SET status = 'failed', error_code = $2, completed_at = clock_timestamp() WHERE id = $1 AND status <> 'done'",
      [replyId, errorCode],
    );
  }

  /** Replies accepted but never picked up (their enqueue was lost with a process): the sweeper requeues them. */
  orphans(olderThanSeconds: number, limit: number): Promise<{ id: string; lane: Lane; ownerId: string }[]> {
    return this.db.query(
      `SELECT id, lane, owner_id AS "ownerId" FROM messages
        WHERE author = 'assistant' AND status IN ('queued', 'running') AND created_at < now() - make_interval(secs => $1)
          AND created_at > now() - interval '1 day'
        ORDER BY created_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
  }
}
