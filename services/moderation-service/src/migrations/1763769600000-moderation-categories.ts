import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the moderation engine looks for, and what it does when a detector for that category cannot
 * run: compliance categories fail closed, optional ones fail open (ARCHITECTURE §6).
 */
export class ModerationCategories1763769600000 implements MigrationInterface {
  name = 'ModerationCategories1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE moderation_categories (
        name           text CONSTRAINT pk_moderation_categories PRIMARY KEY
                    CONSTRAINT ck_moderation_categories_name CHECK (name ~ '^[a-z][a-z_]{1,63}$'),
        description    text NOT NULL,
        failure_policy text NOT NULL CONSTRAINT ck_moderation_categories_failure_policy CHECK (failure_policy IN ('fail_closed', 'fail_open')),
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE moderation_categories');
  }
}
