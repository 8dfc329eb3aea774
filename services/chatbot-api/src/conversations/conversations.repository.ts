import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
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

const COLUMNS = 'id, title_ciphertext AS "titleCiphertext", created_at AS "createdAt", updated_at AS "updatedAt"';

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
    const rows: Row[] = await this.db.query(
      'INSERT INTO conversations (id, owner_id, title_ciphertext) VALUES ($1, $2, $3) RETURNING ' + COLUMNS,
      [id, scope.ownerId, ciphertext],
    );
    return this.decrypt(scope, rows[0]!);
  }

  /** Newest first, after the conversation `afterId` (compared at full timestamp precision, in SQL). */
  async list(scope: OwnerScope, afterId: string | null, limit: number): Promise<Conversation[]> {
    const rows: Row[] = await this.db.query(
      'SELECT ' +
        COLUMNS +
        ` FROM conversations WHERE owner_id = $1
           AND ($2::uuid IS NULL OR (created_at, id) < (SELECT c.created_at, c.id FROM conversations c WHERE c.id = $2 AND c.owner_id = $1))
         ORDER BY created_at DESC, id DESC LIMIT $3`,
      [scope.ownerId, afterId, limit + 1],
    );
    return Promise.all(rows.map((row) => this.decrypt(scope, row)));
  }

  async find(
    scope: OwnerScope,
    id: string,
    runner: Pick<EntityManager, 'query'> = this.db,
  ): Promise<Conversation | null> {
    const rows: Row[] = await runner.query(
      'SELECT ' + COLUMNS + ' FROM conversations WHERE id = $1 AND owner_id = $2',
      [id, scope.ownerId],
    );
    return rows[0] ? this.decrypt(scope, rows[0]) : null;
  }
}
