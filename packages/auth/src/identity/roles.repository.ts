import { queryRows, sql } from '@casebook/platform';
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
    const rows: RoleRow[] = await queryRows(
      this.db,
      sql`SELECT r.name, r.description, p.name AS parent, r.built_in AS "builtIn",
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
        ? await queryRows(tx, sql`SELECT id FROM roles WHERE name = ${role.parent}`)
        : [];
      const [{ id, created }] = await queryRows(
        tx,
        sql`INSERT INTO roles (name, description, parent_role_id, built_in) VALUES (${role.name}, ${role.description ?? ''}, ${parent[0]?.id ?? null}, ${options.builtIn ?? false})
         ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, parent_role_id = EXCLUDED.parent_role_id,
                                          built_in = roles.built_in OR EXCLUDED.built_in, updated_at = now()
         RETURNING id, (xmax = 0) AS created`,
      );
      await queryRows(tx, sql`DELETE FROM permissions WHERE role_id = ${id}`);
      if (role.permissions.length > 0) {
        await queryRows(
          tx,
          sql`INSERT INTO permissions (role_id, position, action, subject, conditions, inverted, reason)
           SELECT ${id}, p.ord - 1, p.action, p.subject, p.conditions, COALESCE(p.inverted, false), p.reason
             FROM ROWS FROM (jsonb_to_recordset(${JSON.stringify(role.permissions)}::jsonb)
                               AS (action text, subject text, conditions jsonb, inverted boolean, reason text))
                  WITH ORDINALITY AS p(action, subject, conditions, inverted, reason, ord)`,
        );
      }
      await options.within?.(tx, created as boolean);
    });
  }

  /** Deletes a role nobody holds and no role inherits from; false when it does not exist. */
  async delete(name: string, within?: (tx: EntityManager) => Promise<void>): Promise<'deleted' | 'missing' | 'in_use'> {
    return this.db.transaction(async (tx) => {
      const rows: { id: string; used: boolean }[] = await queryRows(
        tx,
        sql`SELECT r.id, (EXISTS (SELECT 1 FROM user_roles WHERE role_id = r.id)
                       OR EXISTS (SELECT 1 FROM roles c WHERE c.parent_role_id = r.id)) AS used
           FROM roles r WHERE r.name = ${name}`,
      );
      if (rows.length === 0) return 'missing';
      if (rows[0]!.used) return 'in_use';
      await queryRows(tx, sql`DELETE FROM roles WHERE id = ${rows[0]!.id}`);
      await within?.(tx);
      return 'deleted';
    });
  }
}
