import { Injectable } from '@nestjs/common';
import { queryRows, sql, type SqlRunner } from '@casebook/platform';
import { DataSource } from 'typeorm';

export interface ErasureCounts {
  conversations: number;
  messages: number;
  keys: number;
}

export interface ErasureRequest {
  id: string;
  subjectId: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  deleted: ErasureCounts | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** A request the erasure job took: whose data goes, and who asked. */
export interface ErasureClaim {
  readonly requestId: string;
  readonly subjectId: string;
  readonly requestedBy: string;
}

const COLUMNS = sql`id, subject_id AS "subjectId", status, deleted, created_at AS "createdAt", completed_at AS "completedAt"`;

/** Q3.4: the erasure requests themselves (who asked to erase whom, and how far it got). */
@Injectable()
export class ErasureRequestsRepository {
  constructor(private readonly db: DataSource) {}

  async create(subjectId: string, requestedBy: string): Promise<ErasureRequest> {
    const rows = await queryRows<ErasureRequest>(
      this.db,
      sql`INSERT INTO erasure_requests (subject_id, requested_by, status) VALUES (${subjectId}, ${requestedBy}, 'queued')
          RETURNING ${COLUMNS}`,
    );
    return rows[0]!;
  }

  /** The request when the viewer may see it: an admin, its subject, or who asked. */
  async findVisible(id: string, viewer: { userId: string; admin: boolean }): Promise<ErasureRequest | null> {
    const rows = await queryRows<ErasureRequest>(
      this.db,
      sql`SELECT ${COLUMNS} FROM erasure_requests
           WHERE id = ${id} AND (${viewer.admin}::boolean OR subject_id = ${viewer.userId} OR requested_by = ${viewer.userId})`,
    );
    return rows[0] ?? null;
  }

  async findById(id: string): Promise<ErasureRequest | null> {
    const rows = await queryRows<ErasureRequest>(
      this.db,
      sql`SELECT ${COLUMNS} FROM erasure_requests WHERE id = ${id}`,
    );
    return rows[0] ?? null;
  }

  /** Takes a request that is not done yet; null when it is done (a job run again) or unknown. */
  async claim(requestId: string): Promise<ErasureClaim | null> {
    const rows = await queryRows<ErasureClaim>(
      this.db,
      sql`UPDATE erasure_requests SET status = 'running' WHERE id = ${requestId} AND status IN ('queued', 'running')
          RETURNING id AS "requestId", subject_id AS "subjectId", requested_by AS "requestedBy"`,
    );
    return rows[0] ?? null;
  }

  async markDone(tx: SqlRunner, requestId: string, deleted: ErasureCounts): Promise<void> {
    await queryRows(
      tx,
      sql`UPDATE erasure_requests SET status = 'done', deleted = ${JSON.stringify(deleted)}, completed_at = now()
           WHERE id = ${requestId}`,
    );
  }

  /** Requests accepted but not run (enqueue lost): the sweeper requeues them. */
  pending(olderThanSeconds: number): Promise<{ id: string; subjectId: string }[]> {
    return queryRows(
      this.db,
      sql`SELECT id, subject_id AS "subjectId" FROM erasure_requests
           WHERE status IN ('queued', 'running') AND created_at < now() - make_interval(secs => ${olderThanSeconds})
           LIMIT 100`,
    );
  }
}
