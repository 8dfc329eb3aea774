import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { verifyArchiveFile } from '../archive/archive-file';
import type { Checkpoint } from '../checkpoints/checkpoint';
import type { CheckpointExport } from '../checkpoints/checkpoint-store';
import { type AuditPublicKey, parsePublicKey } from '../checkpoints/signing-key';
import { auditDbFromPool } from '../db/db';
import type { ChainAnchor, VerifyReport } from '../verify/chain-verifier';
import { verifyDatabase } from '../verify/verify-database';
import type { AuditCliConfig } from './config';

export const VERIFY_USAGE = `Usage: pnpm audit:verify [options]

Verifies the audit hash chain and its signed checkpoints; exits 0 when intact, 1 when not (naming the
first bad event), 2 on a usage or connection error.

  --database-url URL   database with the audit tables (default: DATABASE_URL, else chatbot-api's)
  --public-key FILE    trusted Ed25519 public key (PEM); repeatable. Without it the keys stored next to
                       the data are used, and the report warns.
  --checkpoints FILE   checkpoints exported earlier (GET /v1/audit/checkpoints/export); repeatable.
                       Your own copies: a rewrite that also deleted checkpoints in the database still fails.
  --archive FILE       verify archive files (.jsonl.gz) instead of the database, in order; repeatable
  --json               print the report as JSON
  --help`;

export interface CommandResult {
  exitCode: number;
  output: string;
}

function render(label: string, report: VerifyReport): string {
  const lines = [`${label}: ${report.ok ? 'OK' : 'FAILED'}`];
  lines.push(
    `  events checked: ${report.eventsChecked}` +
      (report.firstSeq !== null ? ` (seq ${report.firstSeq}–${report.lastSeq})` : '') +
      `; signed checkpoints matched: ${report.checkpointsVerified}` +
      (report.lastCheckpointSeq !== null ? ` (latest at seq ${report.lastCheckpointSeq})` : ''),
  );
  if (report.headHash) lines.push(`  head hash: ${report.headHash}`);
  if (report.firstBad) {
    lines.push(
      `  first bad event: ${report.firstBad.eventId ?? '(none present)'} at seq ${report.firstBad.seq ?? '?'}: ` +
        report.firstBad.reason,
    );
  }
  for (const problem of report.checkpointProblems)
    lines.push(`  bad checkpoint at seq ${problem.seq}: ${problem.reason}`);
  for (const warning of report.warnings) lines.push(`  warning: ${warning}`);
  return lines.join('\n');
}

async function readKeys(files: string[]): Promise<AuditPublicKey[] | undefined> {
  if (files.length === 0) return undefined;
  return Promise.all(files.map(async (file) => parsePublicKey(await readFile(file, 'utf8'))));
}

async function readCheckpoints(files: string[]): Promise<Checkpoint[]> {
  const bundles = await Promise.all(
    files.map(async (file) => JSON.parse(await readFile(file, 'utf8')) as CheckpointExport),
  );
  return bundles.flatMap((bundle) => bundle.checkpoints);
}

/** `pnpm audit:verify`, as a function: the CLI entry prints its output and exits with its code. */
export async function runVerifyCommand(argv: string[], config: AuditCliConfig): Promise<CommandResult> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'database-url': { type: 'string' },
        'public-key': { type: 'string', multiple: true, default: [] },
        checkpoints: { type: 'string', multiple: true, default: [] },
        archive: { type: 'string', multiple: true, default: [] },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { exitCode: 2, output: `${(error as Error).message}\n\n${VERIFY_USAGE}` };
  }
  if (values.help) return { exitCode: 0, output: VERIFY_USAGE };

  try {
    const trustedKeys = await readKeys(values['public-key']);
    const reports: Array<{ label: string; report: VerifyReport }> = [];
    if (values.archive.length > 0) {
      let previous: ChainAnchor | undefined;
      for (const file of values.archive) {
        const report = await verifyArchiveFile(file, { trustedKeys, previous });
        reports.push({ label: `archive ${file}`, report });
        if (!report.ok || !report.header) break;
        previous = { seq: report.header.toSeq, hash: Buffer.from(report.headHash ?? report.header.prevHash, 'hex') };
      }
    } else {
      const pool = new Pool({
        connectionString: values['database-url'] ?? config.DATABASE_URL,
        max: 2,
        application_name: 'casebook-audit-verify',
      });
      try {
        const report = await verifyDatabase(auditDbFromPool(pool), {
          trustedKeys,
          extraCheckpoints: await readCheckpoints(values.checkpoints),
        });
        reports.push({ label: 'audit log', report });
      } finally {
        await pool.end();
      }
    }
    const ok = reports.every(({ report }) => report.ok);
    const output = values.json
      ? JSON.stringify(reports.length === 1 ? reports[0]!.report : reports, null, 2)
      : reports.map(({ label, report }) => render(label, report)).join('\n');
    return { exitCode: ok ? 0 : 1, output };
  } catch (error) {
    return { exitCode: 2, output: `audit verify could not run: ${(error as Error).message}` };
  }
}
