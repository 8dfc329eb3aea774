import { Injectable } from '@nestjs/common';
import { AuditRecorder } from '@casebook/audit';
import { ProblemError, returnedRows } from '@casebook/platform';
import { DataSource } from 'typeorm';
import { UserKeys } from '../crypto/user-keys';
import { JobQueues } from '../jobs/job-queues.service';

export interface ErasureRequest {
  id: string;
  subjectId: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  deleted: { conversations: number; messages: number; keys: number } | null;
  createdAt: Date;
  completedAt: Date | null;
}

const COLUMNS =
  'id, subject_id AS "subjectId", status, deleted, created_at AS "createdAt", completed_at AS "completedAt"';

/**
 * Q3.4 (GDPR Art. 17): erasure is a job. It deletes the user's conversations and messages and destroys
 * their data key in one transaction; ciphertext left in backups, replicas or WAL can no longer be read.
 */
@Injectable()
export class ErasureService {
  constructor(
    private readonly db: DataSource,
    private readonly keys: UserKeys,
    private readonly queues: JobQueues,
    private readonly audit: AuditRecorder,
  ) {}

  async request(subjectId: string, requestedBy: string): Promise<ErasureRequest> {
    const rows: ErasureRequest[] = await this.db.query(
      "INSERT INTO erasure_requests (subject_id, requested_by, status) VALUES ($1, $2, 'queued') RETURNING " + COLUMNS,
      [subjectId, requestedBy],
    );
    const request = rows[0]!;
    await this.queues.enqueueErasure({ requestId: request.id, subjectId });
    return request;
  }

  async find(id: string, viewer: { userId: string; admin: boolean }): Promise<ErasureRequest> {
    const rows: ErasureRequest[] = await this.db.query(
      'SELECT ' +
        COLUMNS +
        ' FROM erasure_requests WHERE id = $1 AND ($2::boolean OR subject_id = $3 OR requested_by = $3)',
      [id, viewer.admin, viewer.userId],
    );
    if (!rows[0]) throw ProblemError.notFound('Erasure request');
    return rows[0];
  }

  /** Runs the erasure; running it again after success changes nothing. */
  async execute(requestId: string): Promise<ErasureRequest | null> {
    const claimed = returnedRows<{ subjectId: string; requestedBy: string }>(
      await this.db.query(
        `UPDATE erasure_requests SET status = 'running' WHERE id = $1 AND status IN ('queued', 'running')
         RETURNING subject_id AS "subjectId", requested_by AS "requestedBy"`,
        [requestId],
      ),
    );
    if (!claimed[0]) return null;
    const { subjectId, requestedBy } = claimed[0];
    const deleted = await this.db.transaction(async (tx) => {
      const messages = returnedRows(
        await tx.query('DELETE FROM messages WHERE owner_id = $1 RETURNING id', [subjectId]),
      ).length;
      const conversations = returnedRows(
        await tx.query('DELETE FROM conversations WHERE owner_id = $1 RETURNING id', [subjectId]),
      ).length;
      const keys = returnedRows(
        await tx.query('DELETE FROM user_keys WHERE user_id = $1 RETURNING user_id', [subjectId]),
      ).length;
      await tx.query("DELETE FROM idempotency_keys WHERE principal_id = 'user:' || $1", [subjectId]);
      await tx.query("UPDATE erasure_requests SET status = 'done', deleted = $2, completed_at = now() WHERE id = $1", [
        requestId,
        JSON.stringify({ conversations, messages, keys }),
      ]);
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
    const rows: ErasureRequest[] = await this.db.query('SELECT ' + COLUMNS + ' FROM erasure_requests WHERE id = $1', [
      requestId,
    ]);
    return (
      rows[0] ?? { id: requestId, subjectId, status: 'done', deleted, createdAt: new Date(), completedAt: new Date() }
    );
  }

  /** Requests accepted but not run (enqueue lost): the sweeper requeues them. */
  pending(olderThanSeconds: number): Promise<{ id: string; subjectId: string }[]> {
    return this.db.query(
      `SELECT id, subject_id AS "subjectId" FROM erasure_requests
        WHERE status IN ('queued', 'running') AND created_at < now() - make_interval(secs => $1) LIMIT 100`,
      [olderThanSeconds],
    );
  }
}
