import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { bestEffort, queryRows, sql, type SqlRunner } from '@casebook/platform';
import { open, seal } from './envelope';

export class UserKeyDestroyedError extends Error {
  constructor(readonly userId: string) {
    super(`The data key of user ${userId} was destroyed`);
  }
}

/** The master key: from config in production, generated once into the git-ignored data folder in development. */
export async function loadMasterKey(options: {
  configured?: string;
  keysDir: string;
  production: boolean;
}): Promise<Buffer> {
  if (options.configured) {
    const key = Buffer.from(options.configured, 'base64');
    if (key.length !== 32) throw new Error('CHATBOT_MASTER_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  if (options.production) throw new Error('CHATBOT_MASTER_KEY is required in production');
  if (options.keysDir === ':memory:') return randomBytes(32);
  const file = path.resolve(options.keysDir, 'master-key');
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  } catch {
    const key = randomBytes(32);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // 'wx': when another process wrote it first, its key wins and is read back below.
    await bestEffort(writeFile(file, key.toString('base64'), { mode: 0o600, flag: 'wx' }), 'keys.master.write');
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  }
}

/**
 * Q3.4: a data key per user, stored wrapped by the master key. Destroying the row makes every copy of
 * that user's content — live rows, replicas, backups — unreadable (crypto-shredding).
 */
export class UserKeys {
  private readonly cache = new Map<string, { key: Buffer; at: number }>();
  private static readonly CACHE_MS = 5 * 60_000;

  constructor(
    private readonly db: DataSource,
    private readonly masterKey: Buffer,
  ) {}

  /** The user's key, created on first use. */
  async keyFor(userId: string): Promise<Buffer> {
    const cached = this.cache.get(userId);
    if (cached && Date.now() - cached.at < UserKeys.CACHE_MS) return cached.key;
    const fresh = randomBytes(32);
    await queryRows(
      this.db,
      sql`INSERT INTO user_keys (user_id, wrapped_key) VALUES (${userId}, ${seal(this.masterKey, fresh, `user-key:${userId}`)}) ON CONFLICT (user_id) DO NOTHING`,
    );
    return this.existingKey(userId);
  }

  /** The user's key for reading; throws UserKeyDestroyedError after erasure. */
  async existingKey(userId: string): Promise<Buffer> {
    const cached = this.cache.get(userId);
    if (cached && Date.now() - cached.at < UserKeys.CACHE_MS) return cached.key;
    const rows: { wrappedKey: Buffer }[] = await queryRows(
      this.db,
      sql`SELECT wrapped_key AS "wrappedKey" FROM user_keys WHERE user_id = ${userId}`,
    );
    if (!rows[0]) throw new UserKeyDestroyedError(userId);
    const key = open(this.masterKey, rows[0].wrappedKey, `user-key:${userId}`);
    this.cache.set(userId, { key, at: Date.now() });
    return key;
  }

  /** Q3.4: destroys the user's key in the erasure's transaction (call `forget` after it commits); answers how many. */
  async destroy(tx: SqlRunner, userId: string): Promise<number> {
    return (await queryRows(tx, sql`DELETE FROM user_keys WHERE user_id = ${userId} RETURNING user_id`)).length;
  }

  forget(userId: string): void {
    this.cache.delete(userId);
  }

  async encrypt(userId: string, text: string, associatedData: string): Promise<Buffer> {
    return seal(await this.keyFor(userId), Buffer.from(text, 'utf8'), associatedData);
  }

  async decrypt(userId: string, sealed: Buffer, associatedData: string): Promise<string> {
    return open(await this.existingKey(userId), sealed, associatedData).toString('utf8');
  }
}
