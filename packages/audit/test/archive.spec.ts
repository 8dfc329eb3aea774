import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  archivePartitions,
  ChainWriter,
  CheckpointStore,
  generateSigningKeySeed,
  listPartitions,
  loadSigningKey,
  parsePublicKey,
  restoreArchive,
  verifyArchiveFile,
  verifyDatabase,
} from '../src';
import { loadAuditCliConfig } from '../src/cli/config';
import { runArchiveCommand } from '../src/cli/archive-command';
import { runVerifyCommand } from '../src/cli/verify-command';
import { useAuditEnvironment } from './support/audit-environment';
import { buildEvents, pseudonymizer } from './support/events';

const env = useAuditEnvironment();
const signingKey = loadSigningKey(generateSigningKeySeed());
const trustedKeys = [parsePublicKey(signingKey.publicKeyPem)];
const NOW = new Date('2026-11-22T10:00:00Z');
let outDir: string;

async function appendAt(at: string, count: number): Promise<string[]> {
  const { appended } = await new ChainWriter(env.db, { clock: () => new Date(at) }).append(buildEvents(count));
  return appended.map((event) => event.id);
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'casebook-audit-archive-'));
  const store = new CheckpointStore(env.db);
  await store.registerKey(signingKey);
  await appendAt('2025-01-15T08:00:00Z', 12);
  await store.checkpointHead(signingKey, new Date('2025-01-20T00:00:00Z'));
  await appendAt('2025-01-25T08:00:00Z', 8);
  await appendAt('2025-02-03T08:00:00Z', 5);
  await appendAt('2026-11-20T08:00:00Z', 10);
  await store.checkpointHead(signingKey, new Date('2026-11-20T09:00:00Z'));
});

describe('archiving old months (Q6.4)', () => {
  it('When asked for a dry run, then the due months are listed and nothing changes', async () => {
    const result = await runArchiveCommand(
      ['--database-url', env.url, '--out', outDir, '--retain-months', '12', '--dry-run'],
      loadAuditCliConfig({}),
    );
    // The command's clock is the real one; both 2025 months are due by then too.
    expect(result.exitCode).toBe(0);
    expect(result.output).toMatch(/would archive audit_events_2025_01: 20 events \(seq 1–20\)/);
    expect((await listPartitions(env.db)).map((p) => p.name)).toContain('audit_events_2025_01');
  });

  it('When months are past retention, then each is written with its proofs, verified, detached and dropped', async () => {
    const archived = await archivePartitions(env.db, {
      outDir,
      retainMonths: 12,
      signingKey,
      writer: new ChainWriter(env.db),
      pseudonymizer,
      now: NOW,
    });
    expect(archived.map(({ partition, fromSeq, toSeq, events }) => ({ partition, fromSeq, toSeq, events }))).toEqual([
      { partition: 'audit_events_2025_01', fromSeq: 1, toSeq: 20, events: 20 },
      { partition: 'audit_events_2025_02', fromSeq: 21, toSeq: 25, events: 5 },
    ]);
    const names = (await listPartitions(env.db)).map((p) => p.name);
    expect(names).not.toContain('audit_events_2025_01');
    expect(names).not.toContain('audit_events_2025_02');

    // Each file verifies on its own and continues the previous one; the live chain continues from the last.
    const first = await verifyArchiveFile(archived[0]!.file!, { trustedKeys });
    expect(first).toMatchObject({ ok: true, eventsChecked: 20, checkpointsVerified: 2 });
    const second = await verifyArchiveFile(archived[1]!.file!, {
      trustedKeys,
      previous: { seq: 20, hash: Buffer.from(first.headHash!, 'hex') },
    });
    expect(second).toMatchObject({ ok: true, eventsChecked: 5 });
    const live = await verifyDatabase(env.db, { trustedKeys });
    expect(live).toMatchObject({ ok: true, firstSeq: 26 });
    expect(live.warnings.join(' ')).toMatch(/up to seq 25 are archived/);

    // The archival is in the chain, and an archived month cannot be written to again.
    const [event] = await env.db.query<{ details: { partition: string; sha256: string } }>(
      `SELECT details FROM audit_events WHERE action = 'audit.partition.archived' ORDER BY seq LIMIT 1`,
    );
    expect(event!.details).toEqual(
      expect.objectContaining({ partition: 'audit_events_2025_01', sha256: archived[0]!.sha256 }),
    );
    await expect(env.db.query(`SELECT audit_ensure_partition('2025-01-16T00:00:00Z')`)).rejects.toThrow(/was archived/);

    const cli = await runVerifyCommand(
      ['--archive', archived[0]!.file!, '--archive', archived[1]!.file!],
      loadAuditCliConfig({}),
    );
    expect(cli.exitCode).toBe(0);
  });

  it('When an archive is restored for an investigation, then its month is queryable again outside the chain', async () => {
    const keyFile = join(outDir, 'public.pem');
    writeFileSync(keyFile, signingKey.publicKeyPem);
    const result = await runArchiveCommand(
      ['--database-url', env.url, '--restore', join(outDir, 'audit_events_2025_01.jsonl.gz'), '--public-key', keyFile],
      loadAuditCliConfig({}),
    );
    expect(result).toEqual({
      exitCode: 0,
      output: 'restored 20 events of audit_events_2025_01 into audit_restored_2025_01',
    });
    const [row] = await env.db.query<{ n: number; first: string }>(
      'SELECT count(*)::int AS n, min(seq)::text AS first FROM audit_restored_2025_01',
    );
    expect(row).toEqual({ n: 20, first: '1' });
  });

  it('When an archived event is changed in the file, then verification names it', async () => {
    const file = join(outDir, 'audit_events_2025_01.jsonl.gz');
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const index = lines.findIndex((line) => line.includes('"seq":7,'));
    const event = JSON.parse(lines[index]!) as { id: string; outcome: string };
    lines[index] = JSON.stringify({ ...event, outcome: 'failure' });
    const tampered = join(outDir, 'tampered.jsonl.gz');
    writeFileSync(tampered, gzipSync(`${lines.join('\n')}\n`));
    const report = await verifyArchiveFile(tampered, { trustedKeys });
    expect(report.ok).toBe(false);
    expect(report.firstBad).toEqual({
      seq: 7,
      eventId: event.id,
      reason: expect.stringMatching(/does not match its hash/),
    });
    await expect(restoreArchive(env.db, tampered, { trustedKeys })).rejects.toThrow(/does not verify/);
  });
});
