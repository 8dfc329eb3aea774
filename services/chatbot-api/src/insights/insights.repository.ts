import { Injectable } from '@nestjs/common';
import type { AccessContext } from '@casebook/auth';
import { DataSource } from 'typeorm';

export interface InsightRow {
  id: string;
  region: string;
  title: string;
  body: string;
  createdBy: string | null;
  createdAt: Date;
}

/** Columns the authorisation rules may name, mapped to SQL. */
const INSIGHT_COLUMNS = { region: 'region', ownerId: 'created_by', id: 'id' };
const SELECT = 'SELECT id, region, title, body, created_by AS "createdBy", created_at AS "createdAt" FROM insights';

/**
 * Q1.3: reads take the caller's access context as a required argument, and the rules it allows become
 * part of the WHERE clause: rows of other regions are never fetched, not filtered afterwards.
 */
@Injectable()
export class InsightsRepository {
  constructor(private readonly db: DataSource) {}

  /** Newest first, after the insight `afterId` (compared at full timestamp precision, in SQL). */
  async list(access: AccessContext, afterId: string | null, limit: number): Promise<InsightRow[]> {
    const scope = access.sqlScope('read', 'Insight', INSIGHT_COLUMNS, 3);
    if (scope.kind === 'none') return [];
    const where = scope.kind === 'filter' ? ' AND (' + scope.sql + ')' : '';
    return this.db.query(
      SELECT +
        ' WHERE ($1::uuid IS NULL OR (created_at, id) < (SELECT c.created_at, c.id FROM insights c WHERE c.id = $1))' +
        where +
        ' ORDER BY created_at DESC, id DESC LIMIT $2',
      [afterId, limit + 1, ...(scope.kind === 'filter' ? scope.params : [])],
    );
  }

  async findById(id: string): Promise<InsightRow | null> {
    const rows: InsightRow[] = await this.db.query(SELECT + ' WHERE id = $1', [id]);
    return rows[0] ?? null;
  }

  async create(insight: {
    region: string;
    title: string;
    body: string;
    createdBy: string | null;
  }): Promise<InsightRow> {
    const rows: InsightRow[] = await this.db.query(
      `INSERT INTO insights (region, title, body, created_by) VALUES ($1, $2, $3, $4)
       RETURNING id, region, title, body, created_by AS "createdBy", created_at AS "createdAt"`,
      [insight.region, insight.title, insight.body, insight.createdBy],
    );
    return rows[0]!;
  }
}
