import { queryRows, sql } from '@casebook/platform';
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
    return queryRows(
      this.db,
      sql`SELECT name, description, data_version::int AS "dataVersion" FROM warehouse.datasets
        WHERE ${after}::text IS NULL OR name > ${after}
        ORDER BY name
        LIMIT ${limit + 1}`,
    );
  }

  /** Registers datasets; existing ones keep their data version. */
  async register(rows: Pick<DatasetRow, 'name' | 'description'>[]): Promise<void> {
    await queryRows(
      this.db,
      sql`INSERT INTO warehouse.datasets (name, description)
       SELECT u.name, u.description FROM unnest(${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.description)}::text[]) AS u(name, description)
       ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, updated_at = now()
         WHERE warehouse.datasets.description IS DISTINCT FROM EXCLUDED.description`,
    );
  }
}
