import { queryRows, sql } from '@casebook/platform';
import { join } from 'node:path';
import { CHAIN_COLUMNS, chainedEventFromRow, type ChainRow } from '../chain/rows';
import type { ChainedEvent } from '../chain/chain-record';
import { keyMap, signCheckpoint } from '../checkpoints/checkpoint';
import { CheckpointStore } from '../checkpoints/checkpoint-store';
import type { AuditSigningKey } from '../checkpoints/signing-key';
import type { AuditDb } from '../db/db';
import { buildAuditEvent } from '../events/build-event';
import type { Pseudonymizer } from '../privacy/pseudonymizer';
import type { ChainWriter } from '../store/chain-writer';
import { type AuditPartition, listPartitions, PARTITION_NAME } from '../store/partitions';
import { ChainVerifier, GENESIS_ANCHOR, type ChainAnchor } from '../verify/chain-verifier';
import { type ArchiveHeader, ARCHIVE_FORMAT, verifyArchiveFile, writeArchiveFile } from './archive-file';

export interface ArchiveOptions {
  outDir: string;
  /** Months kept online: a month is archived once it ended at least this many months ago. */
  retainMonths: number;
  signingKey: AuditSigningKey;
  writer: ChainWriter;
  pseudonymizer: Pseudonymizer;
  now?: Date;
  /** List what would be archived, change nothing. */
  dryRun?: boolean;
  /** Keep the detached table (e.g. to move it to cheap storage) instead of dropping it. */
  keepDetached?: boolean;
}

export interface ArchivedPartition {
  partition: string;
  fromSeq: number | null;
  toSeq: number | null;
  events: number;
  file: string | null;
  sha256: string | null;
}

const PAGE = 5_000;

// The SQL reads one month by the partition key, so Postgres touches only that partition.
const inMonth = (partition: AuditPartition) =>
  sql`recorded_at >= ${partition.from.toISOString()} AND recorded_at < ${partition.to.toISOString()}`;
const rangeOf = (partition: AuditPartition) =>
  sql`SELECT min(seq)::text AS from_seq, max(seq)::text AS to_seq, count(*)::text AS events
        FROM audit_events WHERE ${inMonth(partition)}`;
const pageOf = (partition: AuditPartition, after: number) =>
  sql`SELECT ${CHAIN_COLUMNS} FROM audit_events
       WHERE ${inMonth(partition)} AND seq > ${after} ORDER BY audit_events.seq LIMIT ${PAGE}`;

async function* partitionEvents(db: AuditDb, partition: AuditPartition): AsyncGenerator<ChainedEvent> {
  let after = 0;
  for (;;) {
    const rows = await queryRows<ChainRow>(db, pageOf(partition, after));
    for (const row of rows) yield chainedEventFromRow(row);
    if (rows.length < PAGE) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

/** Months whose partition ended `retainMonths` or more months before `now`, oldest first. */
export async function partitionsDue(db: AuditDb, retainMonths: number, now: Date): Promise<AuditPartition[]> {
  const cutoff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - retainMonths, 1));
  return (await listPartitions(db)).filter((partition) => partition.to <= cutoff);
}

/**
 * Q6.4: moves whole months out of Postgres. For each due month, oldest first:
 *   1. verify its events against the chain anchor (the checkpoint left by the previous archive, or
 *      genesis) and the signed checkpoints inside it;
 *   2. sign a checkpoint at its last seq, the anchor the next month and the live chain continue from;
 *   3. write `<partition>.jsonl.gz` with both boundary checkpoints and the public keys, then re-read and
 *      verify the file on disk;
 *   4. only then DETACH and DROP the partition (the one way rows leave the append-only table) and record
 *      it in `audit_archives`, in one transaction;
 *   5. append an `audit.partition.archived` event, so the archival itself is in the chain.
 */
export async function archivePartitions(db: AuditDb, options: ArchiveOptions): Promise<ArchivedPartition[]> {
  const now = options.now ?? new Date();
  const due = await partitionsDue(db, options.retainMonths, now);
  const done: ArchivedPartition[] = [];
  for (const partition of due) {
    const [range] = await queryRows<{ from_seq: string | null; to_seq: string | null; events: string }>(
      db,
      rangeOf(partition),
    );
    const events = Number(range!.events);
    const fromSeq = range!.from_seq === null ? null : Number(range!.from_seq);
    const toSeq = range!.to_seq === null ? null : Number(range!.to_seq);
    if (options.dryRun) {
      done.push({ partition: partition.name, fromSeq, toSeq, events, file: null, sha256: null });
      continue;
    }
    if (fromSeq === null || toSeq === null) {
      await detach(db, partition, { fromSeq, toSeq, events, lastHash: null, file: '', sha256: '' }, options);
      done.push({ partition: partition.name, fromSeq, toSeq, events, file: null, sha256: null });
      continue;
    }
    if (toSeq - fromSeq + 1 !== events) {
      throw new Error(`${partition.name}: seq ${fromSeq}–${toSeq} but ${events} events; run audit:verify first`);
    }
    const archived = await archiveOne(db, partition, { fromSeq, toSeq, events }, options, now);
    done.push(archived);
  }
  return done;
}

async function archiveOne(
  db: AuditDb,
  partition: AuditPartition,
  range: { fromSeq: number; toSeq: number; events: number },
  options: ArchiveOptions,
  now: Date,
): Promise<ArchivedPartition> {
  const store = new CheckpointStore(db);
  const keys = await store.publicKeys();
  const trusted = keyMap(keys);
  const checkpoints = await store.range(range.fromSeq - 1, range.toSeq);

  let anchor: ChainAnchor = GENESIS_ANCHOR;
  if (range.fromSeq > 1) {
    const before = checkpoints.find((checkpoint) => checkpoint.seq === range.fromSeq - 1);
    if (!before) throw new Error(`${partition.name}: no checkpoint anchors seq ${range.fromSeq - 1}`);
    anchor = { seq: before.seq, hash: Buffer.from(before.headHash, 'hex') };
  }
  // 1. The month must verify before anything is signed or removed.
  const verifier = new ChainVerifier(anchor, checkpoints, trusted);
  for await (const event of partitionEvents(db, partition)) {
    if (!verifier.feed(event)) break;
  }
  const report = verifier.finish({ seq: range.toSeq, hash: null, source: `the end of ${partition.name}` });
  if (!report.ok || report.headHash === null) {
    throw new Error(`${partition.name} does not verify: ${report.firstBad?.reason ?? 'checkpoint problems'}`);
  }
  // 2. Boundary checkpoint.
  await store.registerKey(options.signingKey);
  if (!checkpoints.some((checkpoint) => checkpoint.seq === range.toSeq)) {
    const boundary = signCheckpoint(
      options.signingKey,
      { seq: range.toSeq, hash: Buffer.from(report.headHash, 'hex') },
      now,
    );
    await store.insert(boundary);
  }
  const proof = await store.range(range.fromSeq - 1, range.toSeq);
  const allKeys = await store.publicKeys();

  // 3. File, then the file verified from disk.
  const file = join(options.outDir, `${partition.name}.jsonl.gz`);
  const header: ArchiveHeader = {
    type: 'header',
    format: ARCHIVE_FORMAT,
    v: 1,
    partition: partition.name,
    from: partition.from.toISOString(),
    to: partition.to.toISOString(),
    fromSeq: range.fromSeq,
    toSeq: range.toSeq,
    events: range.events,
    prevHash: anchor.hash.toString('hex'),
    createdAt: now.toISOString(),
    publicKeys: allKeys.map(({ keyId, algorithm, publicKeyPem }) => ({ keyId, algorithm, publicKeyPem })),
  };
  const sha256 = await writeArchiveFile(file, header, proof, partitionEvents(db, partition));
  const check = await verifyArchiveFile(file, { trustedKeys: [options.signingKey, ...allKeys] });
  if (!check.ok) throw new Error(`${file} does not verify after writing: ${check.firstBad?.reason ?? 'checkpoints'}`);

  // 4. Detach and drop, recorded.
  await detach(
    db,
    partition,
    { ...range, lastHash: report.headHash, file: `${partition.name}.jsonl.gz`, sha256 },
    options,
  );
  // 5. The archival is itself an audit event.
  await options.writer.append([
    buildAuditEvent(
      {
        action: 'audit.partition.archived',
        outcome: 'success',
        actor: { kind: 'system' },
        resource: { type: 'audit_partition', id: partition.name },
        details: {
          partition: partition.name,
          fromSeq: range.fromSeq,
          toSeq: range.toSeq,
          events: range.events,
          sha256,
        },
        requestId: null,
        traceId: null,
      },
      options.pseudonymizer,
    ),
  ]);
  return { partition: partition.name, ...range, file, sha256 };
}

async function detach(
  db: AuditDb,
  partition: AuditPartition,
  record: {
    fromSeq: number | null;
    toSeq: number | null;
    events: number;
    lastHash: string | null;
    file: string;
    sha256: string;
  },
  options: ArchiveOptions,
): Promise<void> {
  // Identifiers cannot be bound as parameters: the name comes from the catalog, matches PARTITION_NAME and is quoted.
  if (!PARTITION_NAME.test(partition.name)) throw new Error(`unexpected partition name ${partition.name}`);
  const table = sql.ident(partition.name);
  await db.transaction(async (tx) => {
    await queryRows(tx, sql`ALTER TABLE audit_events DETACH PARTITION ${table}`);
    await queryRows(
      tx,
      sql`INSERT INTO audit_archives (partition_name, from_seq, to_seq, events, last_hash, file_name, file_sha256)
          VALUES (${partition.name}, ${record.fromSeq}, ${record.toSeq}, ${record.events}, decode(${record.lastHash}, 'hex'),
                  ${record.file}, ${record.sha256})`,
    );
    if (!options.keepDetached) await queryRows(tx, sql`DROP TABLE ${table}`);
  });
}
