import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface DatasetRow {
  name: string;
  description: string;
  dataVersion: number;
}

@Injectable()
export class DatasetsRepository {
  constructor(private readonly db: DataSource) {}

  /** Keyset page in name order: `limit + 1` rows, starting after `after`. */
  list(after: string | null, limit: number): Promise<DatasetRow[]> {
    return this.db.query(
      `SELECT name, description, data_version::int AS "dataVersion" FROM warehouse.datasets
        WHERE $1::text IS NULL OR name > $1
        ORDER BY name
        LIMIT $2`,
      [after, limit + 1],
    );
  }

  /** Registers datasets; existing ones keep their data version. */
  async register(rows: Pick<DatasetRow, 'name' | 'description'>[]): Promise<void> {
    await this.db.query(
      `INSERT INTO warehouse.datasets (name, description)
       SELECT u.name, u.description FROM unnest($1::text[], $2::text[]) AS u(name, description)
       ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, updated_at = now()
         WHERE warehouse.datasets.description IS DISTINCT FROM EXCLUDED.description`,
      [rows.map((r) => r.name), rows.map((r) => r.description)],
    );
  }
}
