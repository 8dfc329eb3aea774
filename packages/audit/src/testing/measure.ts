// node packages/audit/dist/testing/measure.js — throughput of the audit write path behind the request path
// (chain appends), verification and archival, and storage per event in Postgres and in archives. Drops and
// recreates the scratch database named in AUDIT_MEASURE_DATABASE_URL (casebook_audit_measure by default).
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { createPostgresDataSource, migrate, sql } from '@casebook/platform';
import { archivePartitions } from '../archive/archiver';
import { CheckpointStore } from '../checkpoints/checkpoint-store';
import { generateSigningKeySeed, loadSigningKey } from '../checkpoints/signing-key';
import { auditDbFromPool } from '../db/db';
import { AUDIT_ACTION_NAMES } from '../events/actions';
import { type AuditInput, buildAuditEvent } from '../events/build-event';
import type { AuditEvent } from '../events/event.schema';
import { auditMigrations } from '../migrations';
import { Pseudonymizer } from '../privacy/pseudonymizer';
import { ChainWriter } from '../store/chain-writer';
import { verifyDatabase } from '../verify/verify-database';
import { loadMeasureConfig } from './config';

const READS = ['conversation.read', 'conversation.listed', 'message.read', 'message.created'] as const;

/** Inputs as the request path builds them: 1,000 users; `addresses` distinct client IPs. */
function inputs(count: number, at: Date, addresses: number): AuditInput[] {
  return Array.from({ length: count }, (_, i) => ({
    action: i % 50 === 0 ? 'authz.denied' : READS[i % READS.length]!,
    outcome: i % 50 === 0 ? 'denied' : 'success',
    actor: { kind: 'user', id: `user-${i % 1_000}`, roles: [i % 3 === 0 ? 'guest' : 'analyst'] },
    resource: { type: 'conversation', id: crypto.randomUUID() },
    ip: `203.0.${Math.floor((i % addresses) / 256) % 256}.${i % 256}`,
    requestId: crypto.randomUUID(),
    traceId: null,
    occurredAt: at,
    details: i % 50 === 0 ? { reason: 'role guest may not read Insight', status: 403 } : { status: 200 },
  }));
}

function events(count: number, pseudonymizer: Pseudonymizer, at: Date): AuditEvent[] {
  return inputs(count, at, 65_536).map((input) => buildAuditEvent(input, pseudonymizer));
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - start) / 1e9];
}

const fmt = (value: number) => Math.round(value).toLocaleString('en-US');

async function main(): Promise<void> {
  const config = loadMeasureConfig();
  const url = new URL(config.AUDIT_MEASURE_DATABASE_URL);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^casebook_audit_measure[a-z0-9_]*$/.test(name)) throw new Error(`refusing to recreate database ${name}`);
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(sql`DROP DATABASE IF EXISTS ${sql.ident(name)} WITH (FORCE)`);
  await admin.query(sql`CREATE DATABASE ${sql.ident(name)}`);
  await admin.end();
  await migrate(
    createPostgresDataSource({ url: url.toString(), applicationName: 'audit-measure', migrations: auditMigrations }),
  );

  const pool = new Pool({ connectionString: url.toString(), max: 8 });
  const db = auditDbFromPool(pool);
  const pseudonymizer = new Pseudonymizer('measure-pseudonym-key-0123456789abcdef');
  const key = loadSigningKey(generateSigningKeySeed());
  await new CheckpointStore(db).registerKey(key);
  const total = config.AUDIT_MEASURE_EVENTS;
  const month = new Date(Date.UTC(2020, 0, 15));
  const rows: string[][] = [];

  // 1. Build cost (what the request path pays per event, before serialisation), inputs prepared beforehand.
  for (const [label, addresses] of [
    ['1,000 users, 1,000 client IPs (pseudonyms cached)', 1_000],
    ['1,000 users, every client IP new (one HMAC more)', 65_536],
  ] as const) {
    const prepared = inputs(20_000, month, addresses);
    const fresh = new Pseudonymizer(`measure-build-key-${addresses}-0123456789abcdef`);
    for (const input of prepared.slice(0, 2_000)) buildAuditEvent(input, fresh);
    const [, seconds] = await timed(async () => {
      for (const input of prepared) buildAuditEvent(input, fresh);
    });
    rows.push([`build one event: ${label}`, `${((seconds / prepared.length) * 1e6).toFixed(1)} µs`]);
  }

  // 2. Chain appends, one writer, batches of 500 (the consumer's default).
  const all = events(total, pseudonymizer, month);
  const writer = new ChainWriter(db, { clock: () => month });
  const [, appendSeconds] = await timed(async () => {
    for (let i = 0; i < all.length; i += 500) await writer.append(all.slice(i, i + 500));
  });
  rows.push(['chain append, 1 writer, batches of 500', `${fmt(total / appendSeconds)} events/s`]);

  // 3. Four writers at once: they serialise on the chain head.
  const more = events(40_000, pseudonymizer, month);
  const [, contendedSeconds] = await timed(() =>
    Promise.all(
      [0, 1, 2, 3].map(async (w) => {
        const mine = new ChainWriter(db, { clock: () => month });
        for (let i = w * 500; i < more.length; i += 2_000) await mine.append(more.slice(i, i + 500));
      }),
    ),
  );
  rows.push(['chain append, 4 writers, batches of 500', `${fmt(more.length / contendedSeconds)} events/s`]);
  await new CheckpointStore(db).checkpointHead(key);

  // 4. Storage per event in Postgres (table, indexes, TOAST; plus the id and rollup tables).
  const stored = total + more.length;
  const [size] = await db.query<{ events: string; ids: string; rollup: string }>(
    `SELECT (SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'audit_events'::regclass)::text AS events,
            pg_total_relation_size('audit_event_ids')::text AS ids,
            pg_total_relation_size('audit_actor_hourly')::text AS rollup`,
  );
  const eventsBytes = Number(size!.events);
  rows.push(['Postgres: audit_events incl. indexes', `${fmt(eventsBytes / stored)} bytes/event`]);
  rows.push(['Postgres: audit_event_ids (dedupe window)', `${fmt(Number(size!.ids) / stored)} bytes/event`]);

  // 5. Verification.
  const [report, verifySeconds] = await timed(() => verifyDatabase(db, { trustedKeys: [key] }));
  if (!report.ok) throw new Error(`verification failed: ${JSON.stringify(report.firstBad)}`);
  rows.push(['verify (chain + checkpoints)', `${fmt(report.eventsChecked / verifySeconds)} events/s`]);

  // 6. Archive the month: export, verify the file, detach, drop.
  const outDir = await mkdtemp(join(tmpdir(), 'casebook-audit-measure-'));
  const [archived, archiveSeconds] = await timed(() =>
    archivePartitions(db, {
      outDir,
      retainMonths: 1,
      signingKey: key,
      writer: new ChainWriter(db),
      pseudonymizer,
      now: new Date(),
    }),
  );
  const file = archived.find((a) => a.file)!;
  const fileBytes = (await stat(file.file!)).size;
  rows.push(['archive (export + verify file + drop)', `${fmt(file.events / archiveSeconds)} events/s`]);
  rows.push(['archive file (gzip JSON Lines)', `${fmt(fileBytes / file.events)} bytes/event`]);
  rows.push(['Postgres bytes / archive bytes', `${(eventsBytes / fileBytes).toFixed(1)}×`]);
  await rm(outDir, { recursive: true, force: true });
  await pool.end();

  process.stdout.write(
    `audit measurements, ${fmt(stored)} events (${AUDIT_ACTION_NAMES.length} actions known)\n\n` +
      `| measurement | value |\n| --- | --- |\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
