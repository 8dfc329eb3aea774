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
  // Identifiers cannot be bound as parameters: the name is derived from a verified header and checked.
  if (!RESTORED_NAME.test(table)) throw new Error(`unexpected partition name ${report.header.partition}`);
  await db.query('CREATE TABLE ' + table + ' (LIKE audit_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)');
  let batch: unknown[] = [];
  let events = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await db.query(
      'INSERT INTO ' +
        table +
        ` SELECT seq, id, v, occurred_at, recorded_at, action, outcome, actor_type, actor_pseudonym, actor_roles,
                 actor_on_behalf_of, resource_type, resource_id, request_id, trace_id, source_ip_prefix,
                 source_ip_pseudonym, details, decode(prev_hash, 'hex'), decode(hash, 'hex')
            FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, id uuid, v smallint, occurred_at timestamptz,
                 recorded_at timestamptz, action text, outcome text, actor_type text, actor_pseudonym text,
                 actor_roles text[], actor_on_behalf_of text, resource_type text, resource_id text,
                 request_id text, trace_id text, source_ip_prefix text, source_ip_pseudonym text, details jsonb,
                 prev_hash text, hash text)`,
      [JSON.stringify(batch)],
    );
    events += batch.length;
    batch = [];
  };
  for await (const line of readArchiveLines(file)) {
    if (line.type !== 'event') continue;
    batch.push({
      seq: line.seq,
      id: line.id,
      v: line.v,
      occurred_at: line.occurredAt,
      recorded_at: line.recordedAt,
      action: line.action,
      outcome: line.outcome,
      actor_type: line.actor.type,
      actor_pseudonym: line.actor.pseudonym,
      actor_roles: line.actor.roles,
      actor_on_behalf_of: line.actor.onBehalfOf,
      resource_type: line.resource?.type ?? null,
      resource_id: line.resource?.id ?? null,
      request_id: line.requestId,
      trace_id: line.traceId,
      source_ip_prefix: line.source.ipPrefix,
      source_ip_pseudonym: line.source.ipPseudonym,
      details: line.details,
      prev_hash: line.prevHash,
      hash: line.hash,
    });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return { table, events, header: report.header };
}
