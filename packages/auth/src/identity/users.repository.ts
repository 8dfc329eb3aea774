import { queryRows, type Sql, sql, type SqlRunner } from '@casebook/platform';
import type { DataSource, EntityManager } from 'typeorm';

export interface UserRecord {
  id: string;
  email: string;
  passwordHash: string;
  region: string | null;
  authzVer: number;
  /** Roles granted directly (the ability adds inherited ones). */
  roles: string[];
  createdAt: Date;
}

const USER_COLUMNS = sql`u.id, u.email, u.password_hash AS "passwordHash", u.region, u.authz_ver AS "authzVer",
  u.created_at AS "createdAt",
  COALESCE(array_agg(r.name ORDER BY r.name) FILTER (WHERE r.name IS NOT NULL), '{}') AS roles`;
const USER_FROM = sql`users u LEFT JOIN user_roles ur ON ur.user_id = u.id LEFT JOIN roles r ON r.id = ur.role_id`;
const selectUsers = (where: Sql) => sql`SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE ${where} GROUP BY u.id`;

/** Runs inside a repository's transaction before it commits (e.g. to write the change's audit event). */
export type WithinTransaction = (tx: EntityManager) => Promise<void>;

export class UsersRepository {
  constructor(private readonly db: DataSource) {}

  async findByEmail(email: string): Promise<UserRecord | null> {
    const rows = await queryRows<UserRecord>(this.db, selectUsers(sql`u.email = ${email}`));
    return rows[0] ?? null;
  }

  async findById(id: string, runner: SqlRunner = this.db): Promise<UserRecord | null> {
    const rows = await queryRows<UserRecord>(runner, selectUsers(sql`u.id = ${id}`));
    return rows[0] ?? null;
  }

  /** Keyset page ordered by (created_at, id), after the user `afterId` (compared at full precision). */
  list(afterId: string | null, limit: number): Promise<UserRecord[]> {
    const after = sql`${afterId}::uuid IS NULL OR (u.created_at, u.id) > (SELECT c.created_at, c.id FROM users c WHERE c.id = ${afterId})`;
    return queryRows<UserRecord>(this.db, sql`${selectUsers(after)} ORDER BY u.created_at, u.id LIMIT ${limit + 1}`);
  }

  /** Creates a user with roles in one transaction; unknown role names fail the whole insert. */
  async create(
    user: { email: string; passwordHash: string; region: string | null; roles: string[] },
    within?: (tx: EntityManager, id: string) => Promise<void>,
  ): Promise<string> {
    return this.db.transaction(async (tx) => {
      const [{ id }] = await queryRows<{ id: string }>(
        tx,
        sql`INSERT INTO users (email, password_hash, region) VALUES (${user.email}, ${user.passwordHash}, ${user.region})
            RETURNING id`,
      );
      await this.replaceRoles(tx, id, user.roles);
      await within?.(tx, id);
      return id!;
    });
  }

  /** Q2.1: a role change bumps the authz version in the same transaction, so old tokens stop working. */
  async update(
    id: string,
    changes: { roles?: string[]; region?: string | null; passwordHash?: string },
    within?: WithinTransaction,
  ): Promise<number | null> {
    return this.db.transaction(async (tx) => {
      const rows = await queryRows<{ authzVer: number }>(
        tx,
        sql`UPDATE users SET
              region = CASE WHEN ${changes.region !== undefined}::boolean THEN ${changes.region ?? null} ELSE region END,
              password_hash = COALESCE(${changes.passwordHash ?? null}, password_hash),
              authz_ver = authz_ver + 1,
              updated_at = now()
            WHERE id = ${id} RETURNING authz_ver AS "authzVer"`,
      );
      if (rows.length === 0) return null;
      if (changes.roles) await this.replaceRoles(tx, id, changes.roles);
      await within?.(tx);
      return rows[0]!.authzVer;
    });
  }

  private async replaceRoles(tx: EntityManager, userId: string, roles: string[]): Promise<void> {
    await queryRows(tx, sql`DELETE FROM user_roles WHERE user_id = ${userId}`);
    if (roles.length === 0) return;
    const inserted = await queryRows(
      tx,
      sql`INSERT INTO user_roles (user_id, role_id) SELECT ${userId}, id FROM roles WHERE name = ANY(${roles}::text[])
          RETURNING role_id`,
    );
    if (inserted.length !== new Set(roles).size) throw new UnknownRoleError(roles);
  }

  async bumpAuthzVersion(id: string): Promise<number | null> {
    const rows = await queryRows<{ authzVer: number }>(
      this.db,
      sql`UPDATE users SET authz_ver = authz_ver + 1, updated_at = now() WHERE id = ${id} RETURNING authz_ver AS "authzVer"`,
    );
    return rows[0]?.authzVer ?? null;
  }

  async authzVersion(id: string): Promise<number | null> {
    const rows = await queryRows<{ authzVer: number }>(
      this.db,
      sql`SELECT authz_ver AS "authzVer" FROM users WHERE id = ${id}`,
    );
    return rows[0]?.authzVer ?? null;
  }

  async delete(id: string, within?: WithinTransaction): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await queryRows(tx, sql`DELETE FROM users WHERE id = ${id} RETURNING id`);
      if (rows.length === 0) return false;
      await within?.(tx);
      return true;
    });
  }
}

export class UnknownRoleError extends Error {
  constructor(readonly roles: string[]) {
    super(`One of the roles does not exist: ${roles.join(', ')}`);
  }
}
