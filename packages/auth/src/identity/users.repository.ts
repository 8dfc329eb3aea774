import { returnedRows } from '@casebook/platform';
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

const USER_COLUMNS = `u.id, u.email, u.password_hash AS "passwordHash", u.region, u.authz_ver AS "authzVer",
  u.created_at AS "createdAt",
  COALESCE(array_agg(r.name ORDER BY r.name) FILTER (WHERE r.name IS NOT NULL), '{}') AS roles`;
const USER_FROM = 'users u LEFT JOIN user_roles ur ON ur.user_id = u.id LEFT JOIN roles r ON r.id = ur.role_id';
// Built once from constants: the only values in these statements are bound parameters.
const SELECT_BY_EMAIL = 'SELECT ' + USER_COLUMNS + ' FROM ' + USER_FROM + ' WHERE u.email = $1 GROUP BY u.id';
const SELECT_BY_ID = 'SELECT ' + USER_COLUMNS + ' FROM ' + USER_FROM + ' WHERE u.id = $1 GROUP BY u.id';
const SELECT_PAGE =
  'SELECT ' +
  USER_COLUMNS +
  ' FROM ' +
  USER_FROM +
  ` WHERE $1::uuid IS NULL OR (u.created_at, u.id) > (SELECT c.created_at, c.id FROM users c WHERE c.id = $1)
    GROUP BY u.id ORDER BY u.created_at, u.id LIMIT $2`;

type Runner = Pick<EntityManager, 'query'> | Pick<DataSource, 'query'>;

/** Runs inside a repository's transaction before it commits (e.g. to write the change's audit event). */
export type WithinTransaction = (tx: EntityManager) => Promise<void>;

export class UsersRepository {
  constructor(private readonly db: DataSource) {}

  async findByEmail(email: string): Promise<UserRecord | null> {
    const rows: UserRecord[] = await this.db.query(SELECT_BY_EMAIL, [email]);
    return rows[0] ?? null;
  }

  async findById(id: string, runner: Runner = this.db): Promise<UserRecord | null> {
    const rows: UserRecord[] = await runner.query(SELECT_BY_ID, [id]);
    return rows[0] ?? null;
  }

  /** Keyset page ordered by (created_at, id), after the user `afterId` (compared at full precision). */
  list(afterId: string | null, limit: number): Promise<UserRecord[]> {
    return this.db.query(SELECT_PAGE, [afterId, limit + 1]);
  }

  /** Creates a user with roles in one transaction; unknown role names fail the whole insert. */
  async create(
    user: { email: string; passwordHash: string; region: string | null; roles: string[] },
    within?: (tx: EntityManager, id: string) => Promise<void>,
  ): Promise<string> {
    return this.db.transaction(async (tx) => {
      const [{ id }] = await tx.query(
        'INSERT INTO users (email, password_hash, region) VALUES ($1, $2, $3) RETURNING id',
        [user.email, user.passwordHash, user.region],
      );
      await this.replaceRoles(tx, id, user.roles);
      await within?.(tx, id);
      return id as string;
    });
  }

  /** Q2.1: a role change bumps the authz version in the same transaction, so old tokens stop working. */
  async update(
    id: string,
    changes: { roles?: string[]; region?: string | null; passwordHash?: string },
    within?: WithinTransaction,
  ): Promise<number | null> {
    return this.db.transaction(async (tx) => {
      const rows = returnedRows<{ authzVer: number }>(
        await tx.query(
          `UPDATE users SET
           region = CASE WHEN $2::boolean THEN $3 ELSE region END,
           password_hash = COALESCE($4, password_hash),
           authz_ver = authz_ver + 1,
           updated_at = now()
         WHERE id = $1 RETURNING authz_ver AS "authzVer"`,
          [id, changes.region !== undefined, changes.region ?? null, changes.passwordHash ?? null],
        ),
      );
      if (rows.length === 0) return null;
      if (changes.roles) await this.replaceRoles(tx, id, changes.roles);
      await within?.(tx);
      return rows[0]!.authzVer;
    });
  }

  private async replaceRoles(tx: EntityManager, userId: string, roles: string[]): Promise<void> {
    await tx.query('DELETE FROM user_roles WHERE user_id = $1', [userId]);
    if (roles.length === 0) return;
    const inserted: unknown[] = await tx.query(
      `INSERT INTO user_roles (user_id, role_id) SELECT $1, id FROM roles WHERE name = ANY($2::text[]) RETURNING role_id`,
      [userId, roles],
    );
    if (inserted.length !== new Set(roles).size) throw new UnknownRoleError(roles);
  }

  async bumpAuthzVersion(id: string): Promise<number | null> {
    const rows = returnedRows<{ authzVer: number }>(
      await this.db.query(
        'UPDATE users SET authz_ver = authz_ver + 1, updated_at = now() WHERE id = $1 RETURNING authz_ver AS "authzVer"',
        [id],
      ),
    );
    return rows[0]?.authzVer ?? null;
  }

  async authzVersion(id: string): Promise<number | null> {
    const rows: { authzVer: number }[] = await this.db.query(
      'SELECT authz_ver AS "authzVer" FROM users WHERE id = $1',
      [id],
    );
    return rows[0]?.authzVer ?? null;
  }

  async delete(id: string, within?: WithinTransaction): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = returnedRows(await tx.query('DELETE FROM users WHERE id = $1 RETURNING id', [id]));
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
