import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The warehouse datasets the service answers from. `data_version` is bumped by every load, and the
 * cache keys carry it (ARCHITECTURE §5), so a load invalidates without scanning keys.
 */
export class DatasetCatalog1763769600000 implements MigrationInterface {
  name = 'DatasetCatalog1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE SCHEMA IF NOT EXISTS warehouse');
    await queryRunner.query(`
      CREATE TABLE warehouse.datasets (
        name         text CONSTRAINT pk_datasets PRIMARY KEY
                    CONSTRAINT ck_datasets_name CHECK (name ~ '^[a-z][a-z_]{1,63}$'),
        description  text NOT NULL,
        data_version bigint NOT NULL DEFAULT 1 CONSTRAINT ck_datasets_data_version CHECK (data_version > 0),
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE warehouse.datasets');
  }
}
