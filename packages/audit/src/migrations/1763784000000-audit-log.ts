import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log (ARCHITECTURE §7, docs/adr/0007): `audit_events` range-partitioned by month of
 * `recorded_at`, hash-chained in `seq` order; the chain head; signed checkpoints and the keys that sign
 * them; the outbox for events written in a business transaction; ids seen (idempotent inserts); hourly
 * per-principal counts for anomaly reports; the record of archived months.
 */
export class AuditLog1763784000000 implements MigrationInterface {
  name = 'AuditLog1763784000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Q6.2: append-only at the database level. Whole months leave only by DETACH + DROP of a partition
    // (the archive command), never by UPDATE, DELETE or TRUNCATE of rows.
    await queryRunner.query(`
      CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'Old months are archived whole with the audit archive command (packages/audit/README.md).';
      END
      $$`);

    await queryRunner.query(`
      CREATE TABLE audit_events (
        seq                 bigint      NOT NULL CONSTRAINT ck_audit_events_seq CHECK (seq > 0),
        id                  uuid        NOT NULL,
        schema_version      smallint    NOT NULL,
        occurred_at         timestamptz NOT NULL,
        recorded_at         timestamptz NOT NULL,
        action              text        NOT NULL,
        outcome             text        NOT NULL
                            CONSTRAINT ck_audit_events_outcome CHECK (outcome IN ('success', 'failure', 'denied')),
        actor_type          text        NOT NULL,
        actor_pseudonym     text,
        actor_roles         text[]      NOT NULL,
        actor_on_behalf_of  text,
        resource_type       text,
        resource_id         text,
        request_id          text,
        trace_id            text,
        source_ip_prefix    text,
        source_ip_pseudonym text,
        details             jsonb       NOT NULL,
        prev_hash           bytea       NOT NULL CONSTRAINT ck_audit_events_prev_hash CHECK (octet_length(prev_hash) = 32),
        hash                bytea       NOT NULL CONSTRAINT ck_audit_events_hash CHECK (octet_length(hash) = 32),
        CONSTRAINT pk_audit_events PRIMARY KEY (seq, recorded_at)
      ) PARTITION BY RANGE (recorded_at)`);
    // Auditor queries filter by one of these and page by seq (newest first).
    await queryRunner.query('CREATE INDEX ix_audit_events_actor_pseudonym_seq ON audit_events (actor_pseudonym, seq)');
    await queryRunner.query('CREATE INDEX ix_audit_events_action_seq ON audit_events (action, seq)');
    await queryRunner.query(
      'CREATE INDEX ix_audit_events_resource_type_resource_id_seq ON audit_events (resource_type, resource_id, seq)',
    );
    await queryRunner.query('CREATE INDEX ix_audit_events_occurred_at ON audit_events USING brin (occurred_at)');
    await queryRunner.query(`
      CREATE TRIGGER tg_audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER tg_audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`);

    await queryRunner.query(`
      CREATE TABLE audit_archives (
        partition_name text        CONSTRAINT pk_audit_archives PRIMARY KEY,
        from_seq       bigint,
        to_seq         bigint,
        events         bigint      NOT NULL,
        last_hash      bytea,
        file_name      text        NOT NULL,
        file_sha256    text        NOT NULL,
        archived_at    timestamptz NOT NULL DEFAULT now()
      )`);

    // Monthly partitions in UTC, created ahead by the migration and on demand by the writer. Truncate
    // triggers are not inherited by partitions, so each partition gets its own.
    await queryRunner.query(`
      CREATE FUNCTION audit_ensure_partition(at timestamptz) RETURNS text LANGUAGE plpgsql AS $$
      DECLARE
        month_start timestamp := date_trunc('month', at AT TIME ZONE 'UTC');
        partition   text := 'audit_events_' || to_char(month_start, 'YYYY_MM');
      BEGIN
        IF to_regclass(partition) IS NOT NULL THEN
          RETURN partition;
        END IF;
        IF EXISTS (SELECT 1 FROM audit_archives WHERE partition_name = partition) THEN
          RAISE EXCEPTION 'audit partition % was archived; it is not recreated', partition;
        END IF;
        EXECUTE format('CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)',
          partition, month_start AT TIME ZONE 'UTC', (month_start + interval '1 month') AT TIME ZONE 'UTC');
        EXECUTE format('CREATE TRIGGER tg_%s_no_truncate BEFORE TRUNCATE ON %I
          FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()', partition, partition);
        RETURN partition;
      END
      $$`);
    await queryRunner.query(
      `SELECT audit_ensure_partition(now() + make_interval(months => n)) FROM generate_series(0, 2) AS n`,
    );

    // The chain head: one row, locked by every append so the chain stays linear across consumers.
    await queryRunner.query(`
      CREATE TABLE audit_chain_head (
        id          smallint    CONSTRAINT pk_audit_chain_head PRIMARY KEY CONSTRAINT ck_audit_chain_head_id CHECK (id = 1),
        seq         bigint      NOT NULL,
        hash        bytea       NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `INSERT INTO audit_chain_head (id, seq, hash, recorded_at) VALUES (1, 0, decode(repeat('00', 32), 'hex'), 'epoch')`,
    );

    // Idempotency by event id across partitions (a unique index on a partitioned table must include
    // the partition key, so it cannot be on id alone). Pruned after the longest redelivery window.
    await queryRunner.query(`
      CREATE TABLE audit_event_ids (
        id          uuid        CONSTRAINT pk_audit_event_ids PRIMARY KEY,
        recorded_at timestamptz NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX ix_audit_event_ids_recorded_at ON audit_event_ids (recorded_at)');

    // Q6.1: events that must commit with the change they describe are written here, in the same
    // transaction; the consumer moves them into the chain and deletes them in one transaction.
    await queryRunner.query(`
      CREATE TABLE audit_outbox (
        position   bigint      GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_audit_outbox PRIMARY KEY,
        id         uuid        NOT NULL,
        event      jsonb       NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE audit_signing_keys (
        key_id     text        CONSTRAINT pk_audit_signing_keys PRIMARY KEY,
        algorithm  text        NOT NULL CONSTRAINT ck_audit_signing_keys_algorithm CHECK (algorithm = 'Ed25519'),
        public_key text        NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE audit_checkpoints (
        seq         bigint      CONSTRAINT pk_audit_checkpoints PRIMARY KEY,
        head_hash   bytea       NOT NULL,
        event_count bigint      NOT NULL,
        signed_at   timestamptz NOT NULL,
        key_id      text        NOT NULL CONSTRAINT fk_audit_checkpoints_key_id REFERENCES audit_signing_keys (key_id),
        signature   bytea       NOT NULL
      )`);
    for (const table of ['audit_checkpoints', 'audit_signing_keys', 'audit_archives']) {
      // Identifiers cannot be parameters; these are the three literals above.
      await queryRunner.query(
        'CREATE TRIGGER tg_' +
          table +
          '_append_only BEFORE UPDATE OR DELETE ON ' +
          table +
          ' FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()',
      );
      await queryRunner.query(
        'CREATE TRIGGER tg_' +
          table +
          '_no_truncate BEFORE TRUNCATE ON ' +
          table +
          ' FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()',
      );
    }

    // Q6.3: events per principal per hour (of occurrence), maintained by the writer in the append
    // transaction; derived data, so it is not chained and may be rebuilt from audit_events.
    await queryRunner.query(`
      CREATE TABLE audit_actor_hourly (
        actor_pseudonym text        NOT NULL,
        hour            timestamptz NOT NULL,
        actor_type      text        NOT NULL,
        role            text,
        events          integer     NOT NULL,
        denied          integer     NOT NULL,
        CONSTRAINT pk_audit_actor_hourly PRIMARY KEY (actor_pseudonym, hour)
      )`);
    await queryRunner.query('CREATE INDEX ix_audit_actor_hourly_hour ON audit_actor_hourly (hour)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'audit_actor_hourly',
      'audit_checkpoints',
      'audit_signing_keys',
      'audit_outbox',
      'audit_event_ids',
      'audit_chain_head',
      'audit_events',
      'audit_archives',
    ]) {
      await queryRunner.query('DROP TABLE ' + table);
    }
    await queryRunner.query('DROP FUNCTION audit_ensure_partition(timestamptz)');
    await queryRunner.query('DROP FUNCTION audit_refuse_change()');
  }
}
