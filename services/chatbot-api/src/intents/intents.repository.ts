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
    return this.db.query(
      `SELECT name, description, lane FROM intents
        WHERE $1::text IS NULL OR name > $1
        ORDER BY name
        LIMIT $2`,
      [after, limit + 1],
    );
  }

  async findByName(name: string): Promise<IntentRow | null> {
    const rows: IntentRow[] = await this.db.query('SELECT name, description, lane FROM intents WHERE name = $1', [
      name,
    ]);
    return rows[0] ?? null;
  }

  /** Inserts or refreshes catalog rows; running it twice changes nothing. */
  async upsert(rows: IntentRow[]): Promise<void> {
    await this.db.query(
      `INSERT INTO intents (name, description, lane)
       SELECT u.name, u.description, u.lane FROM unnest($1::text[], $2::text[], $3::text[]) AS u(name, description, lane)
       ON CONFLICT (name) DO UPDATE
         SET description = EXCLUDED.description, lane = EXCLUDED.lane, updated_at = now()
         WHERE (intents.description, intents.lane) IS DISTINCT FROM (EXCLUDED.description, EXCLUDED.lane)`,
      [rows.map((r) => r.name), rows.map((r) => r.description), rows.map((r) => r.lane)],
    );
  }
}
