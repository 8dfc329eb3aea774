import type { DataSource, EntityManager } from 'typeorm';
import type { RoleDefinition } from '../authorization';

interface RoleRow {
  name: string;
  description: string;
  parent: string | null;
  builtIn: boolean;
  permissions: {
    action: string;
    subject: string;
    conditions: Record<string, unknown> | null;
    inverted: boolean;
    reason: string | null;
  }[];
}

export interface StoredRole extends RoleDefinition {
  builtIn: boolean;
}

export class RolesRepository {
  constructor(private readonly db: DataSource) {}

  /** Every role with its parent's name and its rules in order: the input of the ability builder. */
  async catalog(): Promise<StoredRole[]> {
    const rows: RoleRow[] = await this.db.query(
      `SELECT r.name, r.description, p.name AS parent, r.built_in AS "builtIn",
              COALESCE(json_agg(json_build_object('action', x.action, 'subject', x.subject, 'conditions', x.conditions,
                                                  'inverted', x.inverted, 'reason', x.reason) ORDER BY x.position)
                       FILTER (WHERE x.id IS NOT NULL), '[]') AS permissions
         FROM roles r
         LEFT JOIN roles p ON p.id = r.parent_role_id
         LEFT JOIN permissions x ON x.role_id = r.id
        GROUP BY r.id, p.name
        ORDER BY r.name`,
    );
    return rows.map((row) => ({
      name: row.name,
      description: row.description,
      parent: row.parent,
      builtIn: row.builtIn,
      permissions: row.permissions.map((p) => ({
        action: p.action,
        subject: p.subject,
        ...(p.conditions ? { conditions: p.conditions } : {}),
        ...(p.inverted ? { inverted: true } : {}),
        ...(p.reason ? { reason: p.reason } : {}),
      })),
    }));
  }

  /** Creates or replaces a role and its rules in one transaction. The caller validated it first. */
  async save(
    role: RoleDefinition,
    options: { builtIn?: boolean; within?: (tx: EntityManager, created: boolean) => Promise<void> } = {},
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      const parent: { id: string }[] = role.parent
        ? await tx.query('SELECT id FROM roles WHERE name = $1', [role.parent])
        : [];
      const [{ id, created }] = await tx.query(
        `INSERT INTO roles (name, description, parent_role_id, built_in) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, parent_role_id = EXCLUDED.parent_role_id,
                                          built_in = roles.built_in OR EXCLUDED.built_in, updated_at = now()
         RETURNING id, (xmax = 0) AS created`,
        [role.name, role.description ?? '', parent[0]?.id ?? null, options.builtIn ?? false],
      );
      await tx.query('DELETE FROM permissions WHERE role_id = $1', [id]);
      if (role.permissions.length > 0) {
        await tx.query(
          `INSERT INTO permissions (role_id, position, action, subject, conditions, inverted, reason)
           SELECT $1, p.ord - 1, p.action, p.subject, p.conditions, COALESCE(p.inverted, false), p.reason
             FROM ROWS FROM (jsonb_to_recordset($2::jsonb)
                               AS (action text, subject text, conditions jsonb, inverted boolean, reason text))
                  WITH ORDINALITY AS p(action, subject, conditions, inverted, reason, ord)`,
          [id, JSON.stringify(role.permissions)],
        );
      }
      await options.within?.(tx, created as boolean);
    });
  }

  /** Deletes a role nobody holds and no role inherits from; false when it does not exist. */
  async delete(name: string, within?: (tx: EntityManager) => Promise<void>): Promise<'deleted' | 'missing' | 'in_use'> {
    return this.db.transaction(async (tx) => {
      const rows: { id: string; used: boolean }[] = await tx.query(
        `SELECT r.id, (EXISTS (SELECT 1 FROM user_roles WHERE role_id = r.id)
                       OR EXISTS (SELECT 1 FROM roles c WHERE c.parent_role_id = r.id)) AS used
           FROM roles r WHERE r.name = $1`,
        [name],
      );
      if (rows.length === 0) return 'missing';
      if (rows[0]!.used) return 'in_use';
      await tx.query('DELETE FROM roles WHERE id = $1', [rows[0]!.id]);
      await within?.(tx);
      return 'deleted';
    });
  }
}
