import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Conversations and their message trees (ARCHITECTURE §4 "Conversations").
 *
 * - `messages` is range-partitioned by month on `created_at`; partitions are created ahead by
 *   `ensure_message_partitions()` (here and by a daily worker job). There is no default partition: a
 *   missing month fails loudly instead of filling a catch-all that later blocks new partitions.
 * - Content is encrypted per user (AES-256-GCM); `user_keys` holds each user's data key wrapped by the
 *   master key. Erasing a user deletes their rows and their key: copies in backups stay unreadable (Q3.4).
 * - Q3.2: "user X, last 7 days, role analyst, intent sales_summary" is one range scan of
 *   `ix_messages_owner_id_actor_role_intent_created_at` per partition the 7 days touch.
 */
export class Conversations1763784000000 implements MigrationInterface {
  name = 'Conversations1763784000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_keys (
        user_id     uuid        CONSTRAINT pk_user_keys PRIMARY KEY
                                CONSTRAINT fk_user_keys_user_id REFERENCES users (id) ON DELETE CASCADE,
        wrapped_key bytea       NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE conversations (
        id               uuid        CONSTRAINT pk_conversations PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id         uuid        NOT NULL CONSTRAINT fk_conversations_owner_id REFERENCES users (id) ON DELETE CASCADE,
        title_ciphertext bytea       NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      'CREATE INDEX ix_conversations_owner_id_created_at_id ON conversations (owner_id, created_at DESC, id DESC)',
    );
    await q.query(`
      CREATE TABLE messages (
        id                 uuid        NOT NULL DEFAULT gen_random_uuid(),
        created_at         timestamptz NOT NULL DEFAULT now(),
        conversation_id    uuid        NOT NULL CONSTRAINT fk_messages_conversation_id REFERENCES conversations (id) ON DELETE CASCADE,
        owner_id           uuid        NOT NULL,
        parent_id          uuid,
        author             text        NOT NULL CONSTRAINT ck_messages_author CHECK (author IN ('user', 'assistant')),
        -- The author's role when the message was written (an assistant reply inherits the asker's).
        actor_role         text        NOT NULL,
        intent             text,
        status             text        NOT NULL CONSTRAINT ck_messages_status CHECK (status IN ('queued', 'running', 'done', 'failed')),
        lane               text        CONSTRAINT ck_messages_lane CHECK (lane IN ('short', 'long')),
        content_ciphertext bytea,
        -- Q4.3: the generated text, kept as soon as the LLM finished, so a retry after a crash reuses it
        -- instead of paying for a second generation.
        draft_ciphertext   bytea,
        model_version      text,
        provider           text,
        fallback           boolean     NOT NULL DEFAULT false,
        error_code         text,
        completed_at       timestamptz,
        CONSTRAINT pk_messages PRIMARY KEY (id, created_at)
      ) PARTITION BY RANGE (created_at)`);
    await q.query(
      'CREATE INDEX ix_messages_owner_id_actor_role_intent_created_at ON messages (owner_id, actor_role, intent, created_at DESC)',
    );
    await q.query(
      'CREATE INDEX ix_messages_conversation_id_created_at_id ON messages (conversation_id, created_at, id)',
    );
    await q.query('CREATE INDEX ix_messages_id ON messages (id)');
    await q.query(`
      CREATE FUNCTION ensure_message_partitions(months_ahead integer) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
        created integer := 0;
        name text;
      BEGIN
        FOR i IN 0..months_ahead LOOP
          name := 'messages_' || to_char(month, 'YYYY_MM');
          IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF messages FOR VALUES FROM (%L) TO (%L)',
                           name, month::timestamp AT TIME ZONE 'UTC', (month + interval '1 month')::timestamp AT TIME ZONE 'UTC');
            created := created + 1;
          END IF;
          month := (month + interval '1 month')::date;
        END LOOP;
        RETURN created;
      END $$`);
    await q.query('SELECT ensure_message_partitions(3)');
    // Idempotency-Key records (IETF httpapi idempotency draft): first response kept 24 h per principal and key.
    await q.query(`
      CREATE TABLE idempotency_keys (
        principal_id    text        NOT NULL,
        key             text        NOT NULL,
        request_hash    bytea       NOT NULL,
        response_status integer     NOT NULL,
        response_body   jsonb       NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        expires_at      timestamptz NOT NULL,
        CONSTRAINT pk_idempotency_keys PRIMARY KEY (principal_id, key)
      )`);
    await q.query('CREATE INDEX ix_idempotency_keys_expires_at ON idempotency_keys (expires_at)');
    await q.query(`
      CREATE TABLE erasure_requests (
        id           uuid        CONSTRAINT pk_erasure_requests PRIMARY KEY DEFAULT gen_random_uuid(),
        -- Not a foreign key: the user row may be gone once the erasure is done.
        subject_id   uuid        NOT NULL,
        requested_by uuid        NOT NULL,
        status       text        NOT NULL CONSTRAINT ck_erasure_requests_status CHECK (status IN ('queued', 'running', 'done', 'failed')),
        deleted      jsonb,
        created_at   timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE erasure_requests');
    await q.query('DROP TABLE idempotency_keys');
    await q.query('DROP FUNCTION ensure_message_partitions(integer)');
    await q.query('DROP TABLE messages');
    await q.query('DROP TABLE conversations');
    await q.query('DROP TABLE user_keys');
  }
}
