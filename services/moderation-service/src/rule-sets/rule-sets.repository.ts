import { Injectable } from '@nestjs/common';
import type { RuleSetDefinition } from '@casebook/moderation';
import { queryRows, sql } from '@casebook/platform';
import { DataSource } from 'typeorm';

export type VersionState = 'draft' | 'active' | 'shadow' | 'retired';

export interface RuleSetVersionRow {
  id: string;
  version: string;
  definitions: RuleSetDefinition[];
  note: string;
  state: VersionState;
  publishedSeq: string | null;
  createdBy: string;
  createdAt: Date;
  publishedAt: Date | null;
}

const COLUMNS = sql`id::text, version, definitions, note, state, published_seq::text AS "publishedSeq",
  created_by AS "createdBy", created_at AS "createdAt", published_at AS "publishedAt"`;

/** Versions of the moderation policy: written once, then only their state moves (Q24.1). */
@Injectable()
export class RuleSetsRepository {
  constructor(private readonly db: DataSource) {}

  async createDraft(input: {
    version: string;
    definitions: readonly RuleSetDefinition[];
    note: string;
    createdBy: string;
  }): Promise<RuleSetVersionRow> {
    const [row] = await queryRows<RuleSetVersionRow>(
      this.db,
      sql`INSERT INTO rule_set_versions (version, definitions, note, created_by)
          VALUES (${input.version}, ${JSON.stringify(input.definitions)}::jsonb, ${input.note}, ${input.createdBy})
          RETURNING ${COLUMNS}`,
    );
    return row!;
  }

  async find(id: string): Promise<RuleSetVersionRow | undefined> {
    const [row] = await queryRows<RuleSetVersionRow>(
      this.db,
      sql`SELECT ${COLUMNS} FROM rule_set_versions WHERE id = ${id}`,
    );
    return row;
  }

  /** Keyset page, newest first: `limit + 1` rows older than `before`. */
  list(before: string | null, limit: number): Promise<RuleSetVersionRow[]> {
    return queryRows<RuleSetVersionRow>(
      this.db,
      sql`SELECT ${COLUMNS} FROM rule_set_versions
           WHERE ${before}::bigint IS NULL OR id < ${before}::bigint
           ORDER BY id DESC LIMIT ${limit + 1}`,
    );
  }

  /** The versions traffic runs on now: the active one and, when one is published, the shadow. */
  async live(): Promise<{ active?: RuleSetVersionRow; shadow?: RuleSetVersionRow }> {
    const rows = await queryRows<RuleSetVersionRow>(
      this.db,
      sql`SELECT ${COLUMNS} FROM rule_set_versions WHERE state IN ('active', 'shadow')`,
    );
    return { active: rows.find((r) => r.state === 'active'), shadow: rows.find((r) => r.state === 'shadow') };
  }

  /**
   * Makes `id` the `as` version in one transaction: the version it replaces is retired, and the publish
   * takes the next sequence number. Publishing a version as active also ends a shadow of the same id.
   */
  async publish(id: string, as: 'active' | 'shadow'): Promise<RuleSetVersionRow> {
    return this.db.transaction(async (tx) => {
      await queryRows(
        tx,
        sql`UPDATE rule_set_versions SET state = 'retired'
             WHERE state = ${as} OR (id = ${id} AND state IN ('active', 'shadow'))`,
      );
      const [row] = await queryRows<RuleSetVersionRow>(
        tx,
        sql`UPDATE rule_set_versions
               SET state = ${as}, published_seq = nextval('rule_set_publish_seq'), published_at = now()
             WHERE id = ${id} RETURNING ${COLUMNS}`,
      );
      return row!;
    });
  }
}
