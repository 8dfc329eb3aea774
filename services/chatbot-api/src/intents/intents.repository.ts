import { queryRows, sql } from '@casebook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface IntentRow {
  name: string;
  description: string;
  lane: 'short' | 'long';
}

@Injectable()
export class IntentsRepository {
  constructor(private readonly db: DataSource) {}

  /** Keyset page in name order: `limit + 1` rows, starting after `after`. */
  list(after: string | null, limit: number): Promise<IntentRow[]> {
    return queryRows(
      this.db,
      sql`SELECT name, description, lane FROM intents
        WHERE ${after}::text IS NULL OR name > ${after}
        ORDER BY name
        LIMIT ${limit + 1}`,
    );
  }

  async findByName(name: string): Promise<IntentRow | null> {
    const rows: IntentRow[] = await queryRows(
      this.db,
      sql`SELECT name, description, lane FROM intents WHERE name = ${name}`,
    );
    return rows[0] ?? null;
  }

  /** Inserts or refreshes catalog rows; running it twice changes nothing. */
  async upsert(rows: IntentRow[]): Promise<void> {
    await queryRows(
      this.db,
      sql`INSERT INTO intents (name, description, lane)
       SELECT u.name, u.description, u.lane FROM unnest(${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.description)}::text[], ${rows.map((r) => r.lane)}::text[]) AS u(name, description, lane)
       ON CONFLICT (name) DO UPDATE
         SET description = EXCLUDED.description, lane = EXCLUDED.lane, updated_at = now()
         WHERE (intents.description, intents.lane) IS DISTINCT FROM (EXCLUDED.description, EXCLUDED.lane)`,
    );
  }
}
