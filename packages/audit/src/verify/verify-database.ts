import { queryRows, sql } from '@casebook/platform';
import { type ChainAnchor, ChainVerifier, GENESIS_ANCHOR, type VerifyReport } from './chain-verifier';
import { CHAIN_COLUMNS, chainedEventFromRow, type ChainRow } from '../chain/rows';
import { type Checkpoint, keyMap } from '../checkpoints/checkpoint';
import { CheckpointStore } from '../checkpoints/checkpoint-store';
import type { AuditPublicKey } from '../checkpoints/signing-key';
import type { AuditDb } from '../db/db';

// Seq order, ties by id, so a duplicated seq is read rather than skipped by the keyset. ORDER BY names the
// table columns: the select list casts them to text under the same names.
const pageAfter = (after: { seq: number; id: string }, pageSize: number) =>
  sql`SELECT ${CHAIN_COLUMNS} FROM audit_events
       WHERE seq >= ${after.seq} AND (seq, id) > (${after.seq}::bigint, ${after.id}::uuid)
       ORDER BY audit_events.seq, audit_events.id
       LIMIT ${pageSize}`;

export interface VerifyDatabaseOptions {
  /**
   * Keys the auditor trusts, obtained out of band (the exported public key). Without them the keys
   * stored in the database are used, which proves integrity only against someone who cannot write there;
   * the report says so.
   */
  trustedKeys?: readonly AuditPublicKey[];
  /**
   * Checkpoints the auditor kept from earlier exports. They count even if the database lost them, so a
   * rewrite that re-hashed the chain and deleted the stored checkpoints still fails.
   */
  extraCheckpoints?: readonly Checkpoint[];
  pageSize?: number;
}

/**
 * Verifies the whole log in a database: from genesis, or, once old months are archived, from the signed
 * checkpoint the archive left at its last seq; to the chain-head row. Pages through `audit_events` in seq
 * order (ties broken by id, so a duplicated seq is seen, not skipped).
 *
 * Everything is read in one REPEATABLE READ snapshot: the log keeps growing while it is verified, and events,
 * checkpoints and chain head read at different moments would look like a truncated tail.
 */
export function verifyDatabase(db: AuditDb, options: VerifyDatabaseOptions = {}): Promise<VerifyReport> {
  return db.transaction(async (snapshot) => {
    await queryRows(snapshot, sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
    return verifySnapshot(snapshot, options);
  });
}

async function verifySnapshot(db: AuditDb, options: VerifyDatabaseOptions): Promise<VerifyReport> {
  const store = new CheckpointStore(db);
  const pageSize = options.pageSize ?? 5_000;
  const keys = options.trustedKeys ?? (await store.publicKeys());
  // Archived months left the database; the chain continues from the checkpoint signed at their last seq.
  const [archived] = await queryRows<{ seq: string | null; partitions: string | null }>(
    db,
    sql`SELECT max(to_seq)::text AS seq, string_agg(partition_name, ', ' ORDER BY partition_name) AS partitions
       FROM audit_archives WHERE to_seq IS NOT NULL`,
  );
  const anchorSeq = archived?.seq ? Number(archived.seq) : 0;
  const stored = await store.range(anchorSeq);
  const bySeq = new Map(stored.map((checkpoint) => [checkpoint.seq, checkpoint]));
  // An auditor's own copy wins over what the database holds now.
  for (const checkpoint of options.extraCheckpoints ?? []) {
    if (checkpoint.seq >= anchorSeq) bySeq.set(checkpoint.seq, checkpoint);
  }
  const checkpoints = [...bySeq.values()].sort((a, b) => a.seq - b.seq);

  let anchor: ChainAnchor = GENESIS_ANCHOR;
  if (anchorSeq > 0) {
    const boundary = checkpoints.find((checkpoint) => checkpoint.seq === anchorSeq);
    if (!boundary) {
      return failedBeforeStart(anchorSeq, `events up to seq ${anchorSeq} are archived but no checkpoint anchors it`);
    }
    anchor = { seq: boundary.seq, hash: Buffer.from(boundary.headHash, 'hex') };
  }
  const verifier = new ChainVerifier(anchor, checkpoints, keyMap(keys));
  if (anchorSeq > 0 && !verifier.trusts(anchorSeq)) {
    return failedBeforeStart(anchorSeq, `the checkpoint anchoring archived seq ${anchorSeq} does not verify`);
  }
  if (anchorSeq > 0) {
    verifier.warn(
      `events up to seq ${anchorSeq} are archived (${archived!.partitions}); verify those files with --archive`,
    );
  }
  if (!options.trustedKeys) {
    verifier.warn('checkpoint keys were read from the database under verification; pass the exported public key');
  }

  let after: { seq: number; id: string } = { seq: 0, id: '00000000-0000-0000-0000-000000000000' };
  for (;;) {
    const rows = await queryRows<ChainRow>(db, pageAfter(after, pageSize));
    for (const row of rows) {
      if (!verifier.feed(chainedEventFromRow(row))) break;
    }
    if (verifier.failed || rows.length < pageSize) break;
    const last = rows[rows.length - 1]!;
    after = { seq: Number(last.seq), id: last.id };
  }

  const [head] = await queryRows<{ seq: string; hash: string }>(
    db,
    sql`SELECT seq::text AS seq, encode(hash, 'hex') AS hash FROM audit_chain_head WHERE id = 1`,
  );
  return verifier.finish(
    head ? { seq: Number(head.seq), hash: Buffer.from(head.hash, 'hex'), source: 'the chain head' } : undefined,
  );
}

function failedBeforeStart(seq: number, reason: string): VerifyReport {
  return {
    ok: false,
    eventsChecked: 0,
    firstSeq: null,
    lastSeq: null,
    headHash: null,
    checkpointsVerified: 0,
    lastCheckpointSeq: null,
    firstBad: { seq, eventId: null, reason },
    checkpointProblems: [],
    warnings: [],
  };
}
