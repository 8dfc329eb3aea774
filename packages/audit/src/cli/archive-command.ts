import { mkdir, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { archivePartitions } from '../archive/archiver';
import { restoreArchive } from '../archive/restore';
import { loadSigningKey, parsePublicKey } from '../checkpoints/signing-key';
import { assertAuditKeys } from '../config';
import { auditDbFromPool } from '../db/db';
import { Pseudonymizer } from '../privacy/pseudonymizer';
import { ChainWriter } from '../store/chain-writer';
import type { AuditCliConfig } from './config';
import type { CommandResult } from './verify-command';

export const ARCHIVE_USAGE = `Usage: node packages/audit/dist/cli/archive.js --out DIR [options]
       node packages/audit/dist/cli/archive.js --restore FILE [--public-key PEM] [--database-url URL]

Archives whole months of audit events older than the retention: verifies each month, signs a boundary
checkpoint, writes DIR/audit_events_YYYY_MM.jsonl.gz with its proofs, verifies the file, then detaches
and drops the partition. Needs AUDIT_SIGNING_KEY and AUDIT_PSEUDONYM_KEY as the services have them.

  --database-url URL     database with the audit tables (default: DATABASE_URL)
  --out DIR              where archive files go (created if missing)
  --retain-months N      months kept in Postgres before the current one (default 3)
  --dry-run              list the months that would be archived
  --keep-detached        keep the detached table instead of dropping it
  --restore FILE         verify an archive and load it into audit_restored_YYYY_MM for querying
  --public-key FILE      trusted public key (PEM) to verify the archive being restored with`;

export async function runArchiveCommand(argv: string[], config: AuditCliConfig): Promise<CommandResult> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'database-url': { type: 'string' },
        out: { type: 'string' },
        'retain-months': { type: 'string', default: '3' },
        'dry-run': { type: 'boolean', default: false },
        'keep-detached': { type: 'boolean', default: false },
        restore: { type: 'string' },
        'public-key': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    return { exitCode: 2, output: `${(error as Error).message}\n\n${ARCHIVE_USAGE}` };
  }
  if (values.help) return { exitCode: 0, output: ARCHIVE_USAGE };
  if (values.restore)
    return restore(values.restore, values['public-key'], values['database-url'] ?? config.DATABASE_URL);
  const retainMonths = Number(values['retain-months']);
  if (!values.out || !Number.isInteger(retainMonths) || retainMonths < 1) {
    return {
      exitCode: 2,
      output: `--out is required and --retain-months must be a whole number ≥ 1\n\n${ARCHIVE_USAGE}`,
    };
  }
  try {
    assertAuditKeys(config, config.NODE_ENV);
    await mkdir(values.out, { recursive: true });
    const pool = new Pool({
      connectionString: values['database-url'] ?? config.DATABASE_URL,
      max: 2,
      application_name: 'casebook-audit-archive',
    });
    try {
      const db = auditDbFromPool(pool);
      const archived = await archivePartitions(db, {
        outDir: values.out,
        retainMonths,
        signingKey: loadSigningKey(config.AUDIT_SIGNING_KEY),
        pseudonymizer: new Pseudonymizer(config.AUDIT_PSEUDONYM_KEY),
        writer: new ChainWriter(db),
        dryRun: values['dry-run'],
        keepDetached: values['keep-detached'],
      });
      const lines = archived.map(
        (a) =>
          `${values['dry-run'] ? 'would archive' : 'archived'} ${a.partition}: ${a.events} events` +
          (a.fromSeq !== null ? ` (seq ${a.fromSeq}–${a.toSeq})` : '') +
          (a.file ? ` → ${a.file} sha256 ${a.sha256}` : ''),
      );
      return { exitCode: 0, output: lines.length > 0 ? lines.join('\n') : 'nothing to archive' };
    } finally {
      await pool.end();
    }
  } catch (error) {
    return { exitCode: 1, output: `audit archive failed: ${(error as Error).message}` };
  }
}

async function restore(file: string, publicKey: string | undefined, databaseUrl: string): Promise<CommandResult> {
  const pool = new Pool({ connectionString: databaseUrl, max: 2, application_name: 'casebook-audit-restore' });
  try {
    const trustedKeys = publicKey ? [parsePublicKey(await readFile(publicKey, 'utf8'))] : undefined;
    const restored = await restoreArchive(auditDbFromPool(pool), file, { trustedKeys });
    return {
      exitCode: 0,
      output: `restored ${restored.events} events of ${restored.header.partition} into ${restored.table}`,
    };
  } catch (error) {
    return { exitCode: 1, output: `audit restore failed: ${(error as Error).message}` };
  } finally {
    await pool.end();
  }
}
