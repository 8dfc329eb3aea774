import { queryRows, sql } from '@casebook/platform';
import type { AuditDb } from '../db/db';

export const PARTITION_NAME = /^audit_events_(\d{4})_(\d{2})$/;

export interface AuditPartition {
  name: string;
  /** First instant of the month (UTC), inclusive. */
  from: Date;
  /** First instant of the next month, exclusive. */
  to: Date;
}

export function monthKey(at: Date): string {
  return `${at.getUTCFullYear()}_${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function partitionFor(at: Date): AuditPartition {
  const from = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const to = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { name: `audit_events_${monthKey(at)}`, from, to };
}

/** Creates the month's partition when missing (idempotent; refuses a month that was archived). */
export async function ensurePartition(db: AuditDb, at: Date): Promise<string> {
  const [row] = await queryRows<{ name: string }>(db, sql`SELECT audit_ensure_partition(${at.toISOString()}) AS name`);
  return row!.name;
}

/** Attached partitions of `audit_events`, oldest first. */
export async function listPartitions(db: AuditDb): Promise<AuditPartition[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`SELECT c.relname AS name
       FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'audit_events'::regclass`,
  );
  return rows
    .map((row) => row.name)
    .filter((name) => PARTITION_NAME.test(name))
    .sort()
    .map((name) => {
      const [, year, month] = PARTITION_NAME.exec(name)!;
      return partitionFor(new Date(Date.UTC(Number(year), Number(month) - 1, 1)));
    });
}
