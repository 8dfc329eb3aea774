import { queryRows, sql } from '@casebook/platform';
import { selectEventsFromRecordset, toRecordsetRow } from '../chain/rows';
import type { AuditDb } from '../db/db';
import type { AuditPublicKey } from '../checkpoints/signing-key';
import { type ArchiveHeader, readArchiveLines, verifyArchiveFile } from './archive-file';

const RESTORED_NAME = /^audit_restored_\d{4}_\d{2}$/;
const BATCH = 1_000;

/**
 * Q6.4 retrieval: loads a verified archive back into a plain table `audit_restored_YYYY_MM` (same columns
 * as audit_events, outside the chain) so investigators can query an old month with SQL; drop it when done.
 * The file is verified first: a tampered archive is never loaded.
 */
export async function restoreArchive(
  db: AuditDb,
  file: string,
  options: { trustedKeys?: readonly AuditPublicKey[] } = {},
): Promise<{ table: string; events: number; header: ArchiveHeader }> {
  const report = await verifyArchiveFile(file, options);
  if (!report.ok || !report.header) {
    throw new Error(`${file} does not verify: ${report.firstBad?.reason ?? 'checkpoint problems'}`);
  }
  const table = report.header.partition.replace('audit_events_', 'audit_restored_');
  // Identifiers cannot be bound as parameters: the name is derived from a verified header, checked, and quoted.
  if (!RESTORED_NAME.test(table)) throw new Error(`unexpected partition name ${report.header.partition}`);
  await queryRows(
    db,
    sql`CREATE TABLE ${sql.ident(table)} (LIKE audit_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
  );
  let batch: unknown[] = [];
  let events = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await queryRows(db, sql`INSERT INTO ${sql.ident(table)} ${selectEventsFromRecordset(batch)}`);
    events += batch.length;
    batch = [];
  };
  for await (const line of readArchiveLines(file)) {
    if (line.type !== 'event') continue;
    batch.push(toRecordsetRow(line));
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return { table, events, header: report.header };
}
