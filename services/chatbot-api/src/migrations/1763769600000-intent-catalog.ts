import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The intents the chatbot routes questions to, and the work lane each one runs in (ARCHITECTURE §4). */
export class IntentCatalog1763769600000 implements MigrationInterface {
  name = 'IntentCatalog1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE intents (
        name        text CONSTRAINT pk_intents PRIMARY KEY
                    CONSTRAINT ck_intents_name CHECK (name ~ '^[a-z][a-z_]{1,63}$'),
        description text NOT NULL,
        lane        text NOT NULL CONSTRAINT ck_intents_lane CHECK (lane IN ('short', 'long')),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE intents');
  }
}
