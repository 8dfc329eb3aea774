import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@casebook/audit';
import { ProblemError } from '@casebook/platform';
import { DataSource } from 'typeorm';
import { ConversationsRepository } from '../conversations/conversations.repository';
import { ownerScopeOfErasure } from '../conversations/owner-scope';
import { UserKeys } from '../crypto/user-keys';
import { IdempotencyKeys } from '../idempotency/idempotency';
import { JobQueues } from '../jobs/job-queues.service';
import { MessagesRepository } from '../messages/messages.repository';
import { type ErasureRequest, ErasureRequestsRepository } from './erasure-requests.repository';

export type { ErasureRequest } from './erasure-requests.repository';

/**
 * Q3.4 (GDPR Art. 17): erasure is a job. It deletes the user's conversations and messages and destroys
 * their data key in one transaction; ciphertext left in backups, replicas or WAL can no longer be read.
 * Each table is deleted from by the repository that owns it, all in that one transaction.
 */
@Injectable()
export class ErasureService {
  private readonly idempotency: IdempotencyKeys;

  constructor(
    private readonly db: DataSource,
    private readonly requests: ErasureRequestsRepository,
    private readonly conversations: ConversationsRepository,
    private readonly messages: MessagesRepository,
    private readonly keys: UserKeys,
    private readonly queues: JobQueues,
    private readonly audit: AuditRecorder,
  ) {
    this.idempotency = new IdempotencyKeys(db);
  }

  async request(subjectId: string, requestedBy: string): Promise<ErasureRequest> {
    const request = await this.requests.create(subjectId, requestedBy);
    await this.queues.enqueueErasure({ requestId: request.id, subjectId });
    return request;
  }

  async find(id: string, viewer: { userId: string; admin: boolean }): Promise<ErasureRequest> {
    const request = await this.requests.findVisible(id, viewer);
    if (!request) throw ProblemError.notFound('Erasure request');
    return request;
  }

  /** Runs the erasure; running it again after success changes nothing. */
  async execute(requestId: string): Promise<ErasureRequest | null> {
    const claim = await this.requests.claim(requestId);
    if (!claim) return null;
    const { subjectId, requestedBy } = claim;
    const scope = ownerScopeOfErasure(claim);
    const deleted = await this.db.transaction(async (tx) => {
      const messages = await this.messages.eraseAll(tx, scope);
      const conversations = await this.conversations.eraseAll(tx, scope);
      const keys = await this.keys.destroy(tx, subjectId);
      await this.idempotency.forgetPrincipal(tx, `user:${subjectId}`);
      await this.requests.markDone(tx, requestId, { conversations, messages, keys });
      // Q6.1: the erasure and its audit event commit together. The log names the user by pseudonym only,
      // so it has nothing to erase itself.
      await this.audit.recordInTransaction(tx, {
        action: 'data.erased',
        outcome: 'success',
        actor: { kind: 'user', id: requestedBy },
        resource: { type: 'user', id: subjectId },
        details: { scope: requestedBy === subjectId ? 'self' : 'admin', rows: conversations + messages + keys },
      });
      return { conversations, messages, keys };
    });
    this.keys.forget(subjectId);
    return (
      (await this.requests.findById(requestId)) ?? {
        id: requestId,
        subjectId,
        status: 'done',
        deleted,
        createdAt: new Date(),
        completedAt: new Date(),
      }
    );
  }

  /** Requests accepted but not run (enqueue lost): the sweeper requeues them. */
  pending(olderThanSeconds: number): Promise<{ id: string; subjectId: string }[]> {
    return this.requests.pending(olderThanSeconds);
  }
}
