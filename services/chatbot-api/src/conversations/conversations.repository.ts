import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { queryRows, sql, type SqlRunner } from '@casebook/platform';
import { DataSource } from 'typeorm';
import { UserKeys } from '../crypto/user-keys';
import type { OwnerScope } from './owner-scope';

export interface Conversation {
  id: string;
  title: string;
  createdAt: Date;
  updatedAt: Date;
}

interface Row {
  id: string;
  titleCiphertext: Buffer;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = sql`id, title_ciphertext AS "titleCiphertext", created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class ConversationsRepository {
  constructor(
    private readonly db: DataSource,
    private readonly keys: UserKeys,
  ) {}

  private async decrypt(scope: OwnerScope, row: Row): Promise<Conversation> {
    return {
      id: row.id,
      title: await this.keys.decrypt(scope.ownerId, row.titleCiphertext, `conversation:${row.id}`),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  async create(scope: OwnerScope, title: string): Promise<Conversation> {
    const id = randomUUID();
    const ciphertext = await this.keys.encrypt(scope.ownerId, title, `conversation:${id}`);
    const rows = await queryRows<Row>(
      this.db,
      sql`INSERT INTO conversations (id, owner_id, title_ciphertext) VALUES (${id}, ${scope.ownerId}, ${ciphertext})
          RETURNING ${COLUMNS}`,
    );
    return this.decrypt(scope, rows[0]!);
  }

  /** Newest first, after the conversation `afterId` (compared at full timestamp precision, in SQL). */
  async list(scope: OwnerScope, afterId: string | null, limit: number): Promise<Conversation[]> {
    const rows = await queryRows<Row>(
      this.db,
      sql`SELECT ${COLUMNS} FROM conversations WHERE owner_id = ${scope.ownerId}
            AND (${afterId}::uuid IS NULL OR (created_at, id) <
                 (SELECT c.created_at, c.id FROM conversations c WHERE c.id = ${afterId} AND c.owner_id = ${scope.ownerId}))
          ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`,
    );
    return Promise.all(rows.map((row) => this.decrypt(scope, row)));
  }

  async find(scope: OwnerScope, id: string, runner: SqlRunner = this.db): Promise<Conversation | null> {
    const rows = await queryRows<Row>(
      runner,
      sql`SELECT ${COLUMNS} FROM conversations WHERE id = ${id} AND owner_id = ${scope.ownerId}`,
    );
    return rows[0] ? this.decrypt(scope, rows[0]) : null;
  }

  /** Q3.4: the erasure deletes every conversation of the owner, in the erasure's transaction; answers how many. */
  async eraseAll(tx: SqlRunner, scope: OwnerScope): Promise<number> {
    return (await queryRows(tx, sql`DELETE FROM conversations WHERE owner_id = ${scope.ownerId} RETURNING id`)).length;
  }
}
