import { queryRows, sql } from '@casebook/platform';
import type { AuditDb } from '../db/db';
import { type Checkpoint, signCheckpoint } from './checkpoint';
import { type AuditPublicKey, type AuditSigningKey, parsePublicKey } from './signing-key';

interface CheckpointRow {
  seq: string;
  head_hash: string;
  event_count: string;
  signed_at: string;
  key_id: string;
  signature: string;
}

const CHECKPOINT_COLUMNS = sql`seq::text AS seq, encode(head_hash, 'hex') AS head_hash, event_count::text AS event_count,
  to_char(signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS signed_at, key_id,
  encode(signature, 'base64') AS signature`;

// Columns are cast to text for exact round trips, so ORDER BY names the table column, not the text alias.
const SELECT_CHECKPOINTS = sql`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints`;

function fromRow(row: CheckpointRow): Checkpoint {
  return {
    seq: Number(row.seq),
    headHash: row.head_hash,
    count: Number(row.event_count),
    signedAt: row.signed_at,
    keyId: row.key_id,
    // encode(…, 'base64') wraps lines every 76 characters.
    signature: row.signature.replace(/\s+/g, ''),
  };
}

/** The bundle external auditors receive: every checkpoint in a range and the keys that signed them. */
export interface CheckpointExport {
  format: 'casebook-audit-checkpoints';
  v: 1;
  exportedAt: string;
  publicKeys: Array<{ keyId: string; algorithm: 'Ed25519'; publicKeyPem: string }>;
  checkpoints: Checkpoint[];
}

export class CheckpointStore {
  constructor(private readonly db: AuditDb) {}

  /** Publishes the public half of the signing key, so exports carry it (trusted only if known out of band). */
  async registerKey(key: AuditPublicKey): Promise<void> {
    await queryRows(
      this.db,
      sql`INSERT INTO audit_signing_keys (key_id, algorithm, public_key) VALUES (${key.keyId}, ${key.algorithm}, ${key.publicKeyPem})
       ON CONFLICT (key_id) DO NOTHING`,
    );
  }

  async insert(checkpoint: Checkpoint): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      sql`INSERT INTO audit_checkpoints (seq, head_hash, event_count, signed_at, key_id, signature)
       VALUES (${checkpoint.seq}, decode(${checkpoint.headHash}, 'hex'), ${checkpoint.count}, ${checkpoint.signedAt}, ${checkpoint.keyId}, decode(${checkpoint.signature}, 'base64'))
       ON CONFLICT (seq) DO NOTHING
       RETURNING seq`,
    );
    return rows.length === 1;
  }

  /**
   * Signs the current chain head unless it is already covered. Concurrent consumers may both sign; the
   * primary key keeps one checkpoint per seq.
   */
  async checkpointHead(key: AuditSigningKey, now: Date = new Date()): Promise<Checkpoint | null> {
    const [head] = await queryRows<{ seq: string; hash: string }>(
      this.db,
      sql`SELECT seq::text AS seq, encode(hash, 'hex') AS hash FROM audit_chain_head WHERE id = 1`,
    );
    const seq = Number(head?.seq ?? 0);
    if (seq === 0) return null;
    const [latest] = await queryRows<{ seq: string }>(
      this.db,
      sql`SELECT max(seq)::text AS seq FROM audit_checkpoints`,
    );
    if (latest?.seq && Number(latest.seq) >= seq) return null;
    const checkpoint = signCheckpoint(key, { seq, hash: Buffer.from(head!.hash, 'hex') }, now);
    return (await this.insert(checkpoint)) ? checkpoint : null;
  }

  async latest(): Promise<Checkpoint | null> {
    const rows = await queryRows<CheckpointRow>(
      this.db,
      sql`${SELECT_CHECKPOINTS} ORDER BY audit_checkpoints.seq DESC LIMIT 1`,
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async at(seq: number): Promise<Checkpoint | null> {
    const rows = await queryRows<CheckpointRow>(this.db, sql`${SELECT_CHECKPOINTS} WHERE seq = ${seq}`);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Keyset page, newest first when `order` is desc. */
  async page(options: { before?: number; from?: number; to?: number; limit: number }): Promise<Checkpoint[]> {
    const before = options.before ?? null;
    const from = options.from ?? null;
    const to = options.to ?? null;
    const rows = await queryRows<CheckpointRow>(
      this.db,
      sql`${SELECT_CHECKPOINTS}
           WHERE (${before}::bigint IS NULL OR seq < ${before})
             AND (${from}::bigint IS NULL OR seq >= ${from})
             AND (${to}::bigint IS NULL OR seq <= ${to})
           ORDER BY audit_checkpoints.seq DESC
           LIMIT ${options.limit}`,
    );
    return rows.map(fromRow);
  }

  /** All checkpoints in `[from, to]`, oldest first. */
  async range(from = 0, to: number = Number.MAX_SAFE_INTEGER): Promise<Checkpoint[]> {
    const rows = await queryRows<CheckpointRow>(
      this.db,
      sql`${SELECT_CHECKPOINTS} WHERE seq BETWEEN ${from} AND ${to} ORDER BY audit_checkpoints.seq`,
    );
    return rows.map(fromRow);
  }

  async publicKeys(): Promise<AuditPublicKey[]> {
    const rows = await queryRows<{ public_key: string }>(
      this.db,
      sql`SELECT public_key FROM audit_signing_keys ORDER BY created_at, key_id`,
    );
    return rows.map((row) => parsePublicKey(row.public_key));
  }

  async export(options: { from?: number; to?: number } = {}, now: Date = new Date()): Promise<CheckpointExport> {
    const [checkpoints, keys] = await Promise.all([this.range(options.from, options.to), this.publicKeys()]);
    return {
      format: 'casebook-audit-checkpoints',
      v: 1,
      exportedAt: now.toISOString(),
      publicKeys: keys.map(({ keyId, algorithm, publicKeyPem }) => ({ keyId, algorithm, publicKeyPem })),
      checkpoints,
    };
  }
}
