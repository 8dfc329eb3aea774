import { Injectable } from '@nestjs/common';
import { type AccessContext, forbidden } from '@casebook/auth';
import { decodeCursor, type Page, ProblemError, toPage } from '@casebook/platform';
import { type InsightRow, InsightsRepository } from './insights.repository';

/** Insights the caller may read: lists filtered in SQL by their ability, single reads checked against it. */
@Injectable()
export class InsightsService {
  constructor(private readonly insights: InsightsRepository) {}

  async list(access: AccessContext, page: { cursor?: string; limit: number }): Promise<Page<InsightRow>> {
    const after = page.cursor ? String(decodeCursor(page.cursor, ['id']).id) : null;
    const rows = await this.insights.list(access, after, page.limit);
    return toPage(rows, page.limit, (row) => ({ id: row.id }));
  }

  /** One insight; 403 when it belongs to a region the caller may not read. */
  async get(access: AccessContext, id: string): Promise<InsightRow> {
    const { insight, exists } = await this.insights.findById(access, id);
    if (!exists) throw ProblemError.notFound('Insight');
    if (!insight) throw forbidden();
    return insight;
  }
}
