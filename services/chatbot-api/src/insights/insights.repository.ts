import { Injectable } from '@nestjs/common';
import type { AccessContext } from '@casebook/auth';
import { queryRows, type Sql, sql } from '@casebook/platform';
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
const COLUMNS = sql`id, region, title, body, created_by AS "createdBy", created_at AS "createdAt"`;

/** What the caller's rules allow of insights, as a condition over the `insights` row; null for nothing. */
function readable(access: AccessContext): Sql | null {
  const scope = access.sqlScope('read', 'Insight', INSIGHT_COLUMNS);
  if (scope.kind === 'none') return null;
  return scope.kind === 'filter' ? sql`(${scope.where})` : sql`TRUE`;
}

/**
 * Q1.3: every method takes the caller's access context as a required argument, and the rules it allows
 * become part of the SQL: rows of other regions are never fetched, not filtered afterwards.
 */
@Injectable()
export class InsightsRepository {
  constructor(private readonly db: DataSource) {}

  /** Newest first, after the insight `afterId` (compared at full timestamp precision, in SQL). */
  async list(access: AccessContext, afterId: string | null, limit: number): Promise<InsightRow[]> {
    const allowed = readable(access);
    if (!allowed) return [];
    return queryRows<InsightRow>(
      this.db,
      sql`SELECT ${COLUMNS} FROM insights
           WHERE (${afterId}::uuid IS NULL OR (created_at, id) < (SELECT c.created_at, c.id FROM insights c WHERE c.id = ${afterId}))
             AND ${allowed}
           ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`,
    );
  }

  /**
   * One insight and whether the caller may read it, decided in SQL by the same rules as `list`: the
   * route answers 404 for a missing insight and 403 for one of another region, and the row of a region
   * the caller may not read is not returned.
   */
  async findById(access: AccessContext, id: string): Promise<{ insight: InsightRow | null; exists: boolean }> {
    const rows = await queryRows<InsightRow & { readable: boolean }>(
      this.db,
      sql`SELECT ${COLUMNS}, ${readable(access) ?? sql`FALSE`} AS readable FROM insights WHERE id = ${id}`,
    );
    const row = rows[0];
    if (!row) return { insight: null, exists: false };
    const { readable: allowed, ...insight } = row;
    return { insight: allowed ? insight : null, exists: true };
  }
}
