import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Q1.3: insights are findings analysts share with their region, the region-scoped resource of the
 * chatbot. The (region, created_at, id) index serves the scoped keyset page in one range scan.
 */
export class Insights1763780400000 implements MigrationInterface {
  name = 'Insights1763780400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE insights (
        id         uuid        CONSTRAINT pk_insights PRIMARY KEY DEFAULT gen_random_uuid(),
        region     text        NOT NULL CONSTRAINT ck_insights_region CHECK (region ~ '^[A-Z]{2,8}$'),
        title      text        NOT NULL CONSTRAINT ck_insights_title CHECK (length(title) BETWEEN 1 AND 200),
        body       text        NOT NULL,
        created_by uuid        CONSTRAINT fk_insights_created_by REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX ix_insights_region_created_at_id ON insights (region, created_at DESC, id DESC)');
    await q.query('CREATE INDEX ix_insights_created_at_id ON insights (created_at DESC, id DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE insights');
  }
}
