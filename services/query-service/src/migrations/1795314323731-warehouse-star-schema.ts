import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sales warehouse: a star schema (one fact table, four dimensions), the load journal, the change
 * journal that drives cache invalidation, and the warehouse query log.
 *
 * - The fact table has no foreign keys, as in analytical warehouses (Redshift, BigQuery): the loader
 *   validates members; per-row FK checks would make bulk loads several times slower.
 * - Q12.4: a statement-level trigger on the fact table — whoever changes it, our loader or another
 *   system — bumps the dataset's data version, journals the time span the statement touched (from the
 *   transition tables) and sends `NOTIFY warehouse_changed`, delivered at commit. The service listens;
 *   nothing polls.
 * - `query_log` gets one row per aggregate query the service runs (written by the query itself), so
 *   tests and the cost report (Q17.4) count warehouse queries in the warehouse.
 */
export class WarehouseStarSchema1795314323731 implements MigrationInterface {
  name = 'WarehouseStarSchema1795314323731';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO warehouse.datasets (name, description)
      VALUES ('sales', 'Sales facts: date, product, category, region, customer segment, units, revenue, cost.')
      ON CONFLICT (name) DO NOTHING`);

    await queryRunner.query(`
      CREATE TABLE warehouse.dim_regions (
        region_id smallint CONSTRAINT pk_dim_regions PRIMARY KEY,
        code      text NOT NULL CONSTRAINT uq_dim_regions_code UNIQUE,
        name      text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE warehouse.dim_segments (
        segment_id smallint CONSTRAINT pk_dim_segments PRIMARY KEY,
        code       text NOT NULL CONSTRAINT uq_dim_segments_code UNIQUE,
        name       text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE warehouse.dim_categories (
        category_id smallint CONSTRAINT pk_dim_categories PRIMARY KEY,
        code        text NOT NULL CONSTRAINT uq_dim_categories_code UNIQUE,
        name        text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE warehouse.dim_products (
        product_id  integer CONSTRAINT pk_dim_products PRIMARY KEY,
        sku         text NOT NULL CONSTRAINT uq_dim_products_sku UNIQUE,
        name        text NOT NULL,
        category_id smallint NOT NULL
                    CONSTRAINT fk_dim_products_category_id REFERENCES warehouse.dim_categories (category_id),
        list_price  numeric(10, 2) NOT NULL CONSTRAINT ck_dim_products_list_price CHECK (list_price > 0),
        unit_cost   numeric(10, 2) NOT NULL CONSTRAINT ck_dim_products_unit_cost CHECK (unit_cost > 0)
      )`);
    await queryRunner.query('CREATE INDEX ix_dim_products_category_id ON warehouse.dim_products (category_id)');

    await queryRunner.query(`
      CREATE TABLE warehouse.load_batches (
        batch_id    bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_load_batches PRIMARY KEY,
        dataset     text NOT NULL CONSTRAINT fk_load_batches_dataset REFERENCES warehouse.datasets (name),
        kind        text NOT NULL CONSTRAINT ck_load_batches_kind CHECK (kind IN ('full', 'incremental')),
        rows        bigint NOT NULL DEFAULT 0 CONSTRAINT ck_load_batches_rows CHECK (rows >= 0),
        covers_from timestamptz NOT NULL,
        covers_to   timestamptz NOT NULL,
        started_at  timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT ck_load_batches_span CHECK (covers_from < covers_to)
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_load_batches_dataset_started_at ON warehouse.load_batches (dataset, started_at)',
    );

    await queryRunner.query(`
      CREATE TABLE warehouse.fact_sales (
        sold_at     timestamptz NOT NULL,
        product_id  integer NOT NULL,
        category_id smallint NOT NULL,
        region_id   smallint NOT NULL,
        segment_id  smallint NOT NULL,
        units       integer NOT NULL CONSTRAINT ck_fact_sales_units CHECK (units > 0),
        revenue     numeric(12, 2) NOT NULL,
        cost        numeric(12, 2) NOT NULL,
        batch_id    bigint NOT NULL
      )`);
    // Loads append in time order, so a BRIN index on sold_at is tiny and prunes time ranges well; the
    // B-trees serve the selective paths (one product, one region, one category over a period). BRIN only
    // knows page ranges it has summarised: autosummarize covers appends by any writer, and the loader
    // summarises right after each load.
    await queryRunner.query(
      'CREATE INDEX ix_fact_sales_sold_at ON warehouse.fact_sales USING brin (sold_at) WITH (autosummarize = on)',
    );
    await queryRunner.query(
      'CREATE INDEX ix_fact_sales_product_id_sold_at ON warehouse.fact_sales (product_id, sold_at)',
    );
    await queryRunner.query(
      'CREATE INDEX ix_fact_sales_region_id_sold_at ON warehouse.fact_sales (region_id, sold_at)',
    );
    await queryRunner.query(
      'CREATE INDEX ix_fact_sales_category_id_sold_at ON warehouse.fact_sales (category_id, sold_at)',
    );
    await queryRunner.query('CREATE INDEX ix_fact_sales_batch_id ON warehouse.fact_sales (batch_id)');

    await queryRunner.query(`
      CREATE TABLE warehouse.data_changes (
        dataset      text NOT NULL CONSTRAINT fk_data_changes_dataset REFERENCES warehouse.datasets (name),
        data_version bigint NOT NULL,
        operation    text NOT NULL CONSTRAINT ck_data_changes_operation
                     CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')),
        rows         bigint,
        changed_from timestamptz,
        changed_to   timestamptz,
        changed_at   timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_data_changes PRIMARY KEY (dataset, data_version)
      )`);

    await queryRunner.query(`
      CREATE TABLE warehouse.query_log (
        query_id    bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_query_log PRIMARY KEY,
        dataset     text NOT NULL,
        fingerprint text NOT NULL,
        started_at  timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query('CREATE INDEX ix_query_log_started_at ON warehouse.query_log (started_at)');

    // One function for every statement-level trigger; TG_OP says which transition tables exist.
    await queryRunner.query(`
      CREATE FUNCTION warehouse.fact_sales_changed() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      DECLARE
        span_from timestamptz;
        span_to   timestamptz;
        touched   bigint;
        version   bigint;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT min(sold_at), max(sold_at), count(*) INTO span_from, span_to, touched FROM new_rows;
        ELSIF TG_OP = 'UPDATE' THEN
          SELECT min(t.sold_at), max(t.sold_at), count(*) / 2 INTO span_from, span_to, touched
            FROM (SELECT sold_at FROM old_rows UNION ALL SELECT sold_at FROM new_rows) AS t;
        ELSIF TG_OP = 'DELETE' THEN
          SELECT min(sold_at), max(sold_at), count(*) INTO span_from, span_to, touched FROM old_rows;
        END IF;
        -- A statement that touched no row changes nothing: no new version, no notification.
        IF TG_OP <> 'TRUNCATE' AND touched = 0 THEN
          RETURN NULL;
        END IF;
        UPDATE warehouse.datasets SET data_version = data_version + 1, updated_at = now()
         WHERE name = 'sales'
        RETURNING data_version INTO version;
        INSERT INTO warehouse.data_changes (dataset, data_version, operation, rows, changed_from, changed_to)
        VALUES ('sales', version, TG_OP, touched, span_from, span_to);
        PERFORM pg_notify('warehouse_changed', json_build_object(
          'dataset', 'sales', 'version', version, 'operation', TG_OP,
          'from', span_from, 'to', span_to)::text);
        RETURN NULL;
      END
      $fn$`);
    // Transition tables allow one event per trigger, hence one trigger per event.
    await queryRunner.query(`
      CREATE TRIGGER tr_fact_sales_inserted AFTER INSERT ON warehouse.fact_sales
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION warehouse.fact_sales_changed()`);
    await queryRunner.query(`
      CREATE TRIGGER tr_fact_sales_updated AFTER UPDATE ON warehouse.fact_sales
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION warehouse.fact_sales_changed()`);
    await queryRunner.query(`
      CREATE TRIGGER tr_fact_sales_deleted AFTER DELETE ON warehouse.fact_sales
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION warehouse.fact_sales_changed()`);
    await queryRunner.query(`
      CREATE TRIGGER tr_fact_sales_truncated AFTER TRUNCATE ON warehouse.fact_sales
      FOR EACH STATEMENT EXECUTE FUNCTION warehouse.fact_sales_changed()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE warehouse.fact_sales');
    await queryRunner.query('DROP FUNCTION warehouse.fact_sales_changed()');
    await queryRunner.query('DROP TABLE warehouse.query_log');
    await queryRunner.query('DROP TABLE warehouse.data_changes');
    await queryRunner.query('DROP TABLE warehouse.load_batches');
    await queryRunner.query('DROP TABLE warehouse.dim_products');
    await queryRunner.query('DROP TABLE warehouse.dim_categories');
    await queryRunner.query('DROP TABLE warehouse.dim_segments');
    await queryRunner.query('DROP TABLE warehouse.dim_regions');
  }
}
