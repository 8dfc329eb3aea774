import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Q23.1, Q24.1–Q24.4: the moderation policy (every rule set, default and regions) as immutable
 * versions. A draft is written once and never edited; publishing makes one version `active` (or
 * `shadow`, Q28.4) and retires the one it replaces; rolling back is publishing an earlier version again.
 * `published_seq` orders publishes, so an instance can tell a newer announcement from a late one.
 */
export class RuleSetVersions1796000000000 implements MigrationInterface {
  name = 'RuleSetVersions1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE rule_set_publish_seq`);
    await queryRunner.query(`
      CREATE TABLE rule_set_versions (
        id            bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_rule_set_versions PRIMARY KEY,
        version       text NOT NULL,
        definitions   jsonb NOT NULL,
        note          text NOT NULL DEFAULT '',
        state         text NOT NULL DEFAULT 'draft'
                      CONSTRAINT ck_rule_set_versions_state CHECK (state IN ('draft', 'active', 'shadow', 'retired')),
        published_seq bigint,
        created_by    text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        published_at  timestamptz
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX ux_rule_set_versions_active ON rule_set_versions ((state)) WHERE state IN ('active', 'shadow')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE rule_set_versions');
    await queryRunner.query('DROP SEQUENCE rule_set_publish_seq');
  }
}
