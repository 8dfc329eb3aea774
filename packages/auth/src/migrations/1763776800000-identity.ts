import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity and authorisation schema (ARCHITECTURE §4). Owned by @casebook/auth; the identity
 * provider (chatbot-api) appends it to its migration list.
 */
export class Identity1763776800000 implements MigrationInterface {
  name = 'Identity1763776800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id            uuid        CONSTRAINT pk_users PRIMARY KEY DEFAULT gen_random_uuid(),
        email         text        NOT NULL CONSTRAINT ck_users_email CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
        password_hash text        NOT NULL,
        region        text        CONSTRAINT ck_users_region CHECK (region ~ '^[A-Z]{2,8}$'),
        -- Q2.1: bumped on role change, password change, logout everywhere or compromise.
        authz_ver     integer     NOT NULL DEFAULT 1,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_users_email UNIQUE (email)
      )`);
    // Q1.1: a role inherits from at most one parent; the closure is computed, never stored.
    await q.query(`
      CREATE TABLE roles (
        id             uuid        CONSTRAINT pk_roles PRIMARY KEY DEFAULT gen_random_uuid(),
        name           text        NOT NULL CONSTRAINT ck_roles_name CHECK (name ~ '^[a-z][a-z0-9_.-]{1,62}$'),
        description    text        NOT NULL DEFAULT '',
        parent_role_id uuid        CONSTRAINT fk_roles_parent_role_id REFERENCES roles (id) ON DELETE RESTRICT,
        built_in       boolean     NOT NULL DEFAULT false,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_roles_name UNIQUE (name),
        CONSTRAINT ck_roles_not_own_parent CHECK (parent_role_id IS DISTINCT FROM id)
      )`);
    await q.query('CREATE INDEX ix_roles_parent_role_id ON roles (parent_role_id)');
    await q.query(`
      CREATE TABLE permissions (
        id         uuid    CONSTRAINT pk_permissions PRIMARY KEY DEFAULT gen_random_uuid(),
        role_id    uuid    NOT NULL CONSTRAINT fk_permissions_role_id REFERENCES roles (id) ON DELETE CASCADE,
        position   integer NOT NULL,
        action     text    NOT NULL CONSTRAINT ck_permissions_action CHECK (length(action) BETWEEN 1 AND 64),
        subject    text    NOT NULL CONSTRAINT ck_permissions_subject CHECK (length(subject) BETWEEN 1 AND 64),
        conditions jsonb,
        inverted   boolean NOT NULL DEFAULT false,
        reason     text,
        CONSTRAINT uq_permissions_role_id_position UNIQUE (role_id, position)
      )`);
    await q.query(`
      CREATE TABLE user_roles (
        user_id    uuid        NOT NULL CONSTRAINT fk_user_roles_user_id REFERENCES users (id) ON DELETE CASCADE,
        role_id    uuid        NOT NULL CONSTRAINT fk_user_roles_role_id REFERENCES roles (id) ON DELETE RESTRICT,
        granted_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_user_roles PRIMARY KEY (user_id, role_id)
      )`);
    await q.query('CREATE INDEX ix_user_roles_role_id ON user_roles (role_id)');
    // Q2.1: one family per login; rotation adds a generation, reuse of an old one revokes the family.
    await q.query(`
      CREATE TABLE refresh_token_families (
        id            uuid        CONSTRAINT pk_refresh_token_families PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id       uuid        NOT NULL CONSTRAINT fk_refresh_token_families_user_id REFERENCES users (id) ON DELETE CASCADE,
        created_at    timestamptz NOT NULL DEFAULT now(),
        expires_at    timestamptz NOT NULL,
        revoked_at    timestamptz,
        revoke_reason text
      )`);
    await q.query(
      'CREATE INDEX ix_refresh_token_families_user_id ON refresh_token_families (user_id) WHERE revoked_at IS NULL',
    );
    await q.query(`
      CREATE TABLE refresh_tokens (
        id         uuid        CONSTRAINT pk_refresh_tokens PRIMARY KEY DEFAULT gen_random_uuid(),
        family_id  uuid        NOT NULL CONSTRAINT fk_refresh_tokens_family_id REFERENCES refresh_token_families (id) ON DELETE CASCADE,
        generation integer     NOT NULL,
        token_hash bytea       NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at    timestamptz,
        CONSTRAINT uq_refresh_tokens_token_hash UNIQUE (token_hash),
        CONSTRAINT uq_refresh_tokens_family_id_generation UNIQUE (family_id, generation)
      )`);
    // Access tokens revoked one by one (logout); kept only until they would have expired anyway.
    await q.query(`
      CREATE TABLE revoked_access_tokens (
        jti        text        CONSTRAINT pk_revoked_access_tokens PRIMARY KEY,
        user_id    uuid        NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX ix_revoked_access_tokens_expires_at ON revoked_access_tokens (expires_at)');
    // Q10.x: machine identities. Secrets are stored hashed; the prefix finds the row.
    await q.query(`
      CREATE TABLE api_keys (
        id            uuid        CONSTRAINT pk_api_keys PRIMARY KEY DEFAULT gen_random_uuid(),
        prefix        text        NOT NULL CONSTRAINT ck_api_keys_prefix CHECK (prefix ~ '^[a-z0-9]{8,16}$'),
        secret_hash   bytea       NOT NULL,
        name          text        NOT NULL,
        owner_user_id uuid        NOT NULL CONSTRAINT fk_api_keys_owner_user_id REFERENCES users (id) ON DELETE CASCADE,
        scopes        text[]      NOT NULL DEFAULT '{}',
        created_at    timestamptz NOT NULL DEFAULT now(),
        expires_at    timestamptz,
        revoked_at    timestamptz,
        last_used_at  timestamptz,
        CONSTRAINT uq_api_keys_prefix UNIQUE (prefix)
      )`);
    await q.query('CREATE INDEX ix_api_keys_owner_user_id ON api_keys (owner_user_id)');
    await q.query(`
      CREATE TABLE service_clients (
        id          uuid        CONSTRAINT pk_service_clients PRIMARY KEY DEFAULT gen_random_uuid(),
        name        text        NOT NULL CONSTRAINT ck_service_clients_name CHECK (name ~ '^[a-z][a-z0-9-]{1,62}$'),
        secret_hash text        NOT NULL,
        scopes      text[]      NOT NULL DEFAULT '{}',
        audiences   text[]      NOT NULL DEFAULT '{}',
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz,
        CONSTRAINT uq_service_clients_name UNIQUE (name)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'service_clients',
      'api_keys',
      'revoked_access_tokens',
      'refresh_tokens',
      'refresh_token_families',
      'user_roles',
      'permissions',
      'roles',
      'users',
    ]) {
      await q.query('DROP TABLE ' + table);
    }
  }
}
