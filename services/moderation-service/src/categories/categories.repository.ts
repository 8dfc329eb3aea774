import { queryRows, sql } from '@casebook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface CategoryRow {
  name: string;
  description: string;
  failurePolicy: 'fail_closed' | 'fail_open';
}

@Injectable()
export class CategoriesRepository {
  constructor(private readonly db: DataSource) {}

  /** Keyset page in name order: `limit + 1` rows, starting after `after`. */
  list(after: string | null, limit: number): Promise<CategoryRow[]> {
    return queryRows(
      this.db,
      sql`SELECT name, description, failure_policy AS "failurePolicy" FROM moderation_categories
        WHERE ${after}::text IS NULL OR name > ${after}
        ORDER BY name
        LIMIT ${limit + 1}`,
    );
  }

  /** Inserts or refreshes categories; running it twice changes nothing. */
  async upsert(rows: CategoryRow[]): Promise<void> {
    await queryRows(
      this.db,
      sql`INSERT INTO moderation_categories (name, description, failure_policy)
       SELECT u.name, u.description, u.failure_policy FROM unnest(${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.description)}::text[], ${rows.map((r) => r.failurePolicy)}::text[]) AS u(name, description, failure_policy)
       ON CONFLICT (name) DO UPDATE
         SET description = EXCLUDED.description, failure_policy = EXCLUDED.failure_policy, updated_at = now()
         WHERE (moderation_categories.description, moderation_categories.failure_policy)
               IS DISTINCT FROM (EXCLUDED.description, EXCLUDED.failure_policy)`,
    );
  }
}
