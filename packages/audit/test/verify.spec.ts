import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  ChainWriter,
  CheckpointStore,
  generateSigningKeySeed,
  loadSigningKey,
  parsePublicKey,
  signCheckpoint,
  verifyDatabase,
} from '../src';
import { loadAuditCliConfig } from '../src/cli/config';
import { runVerifyCommand } from '../src/cli/verify-command';
import { type AuditTestEnvironment, useAuditEnvironment } from './support/audit-environment';
import { buildEvents } from './support/events';
import { asAttacker, rehashFrom } from './support/tamper';

const VERIFY_CLI = resolve(__dirname, '../dist/cli/verify.js');
const signingKey = loadSigningKey(generateSigningKeySeed());
const trustedKeys = [parsePublicKey(signingKey.publicKeyPem)];

/** 30 events with signed checkpoints at seq 10 and 20. */
async function seedChain(env: AuditTestEnvironment): Promise<{ ids: string[] }> {
  const writer = new ChainWriter(env.db);
  const store = new CheckpointStore(env.db);
  await store.registerKey(signingKey);
  const ids: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    const { appended } = await writer.append(buildEvents(10));
    ids.push(...appended.map((event) => event.id));
    if (i < 2) await store.checkpointHead(signingKey);
  }
  return { ids };
}

/** The compiled `pnpm audit:verify`, as an auditor runs it. */
async function runCli(args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [VERIFY_CLI, ...args]);
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

/** The same command in-process (its exit code and output), where a child process would only add seconds. */
async function runCommand(args: string[]): Promise<{ code: number; stdout: string }> {
  const { exitCode, output } = await runVerifyCommand(args, loadAuditCliConfig({}));
  return { code: exitCode, stdout: output };
}

let keyFile: string;
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'casebook-audit-verify-'));
  keyFile = join(dir, 'audit-public-key.pem');
  await writeFile(keyFile, signingKey.publicKeyPem);
});

describe('an intact log', () => {
  const env = useAuditEnvironment();

  it('When nothing was touched, then verify passes, from the library and from `pnpm audit:verify`', async () => {
    await seedChain(env);
    const report = await verifyDatabase(env.db, { trustedKeys });
    expect(report).toMatchObject({ ok: true, eventsChecked: 30, checkpointsVerified: 2, firstBad: null });
    const cli = await runCli(['--database-url', env.url, '--public-key', keyFile]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/audit log: OK/);
  });

  it('When events are appended while it runs, then verify reads one snapshot and passes (no false truncation)', async () => {
    await seedChain(env);
    const writer = new ChainWriter(env.db);
    let appending = true;
    const appends = (async () => {
      for (let i = 0; appending && i < 500; i += 1) await writer.append(buildEvents(2));
    })();
    const reports = [];
    try {
      // Small pages: many reads per verification, each a chance to see a later append.
      for (let i = 0; i < 20; i += 1) reports.push(await verifyDatabase(env.db, { trustedKeys, pageSize: 7 }));
    } finally {
      appending = false;
      await appends;
    }
    expect(reports.filter((report) => !report.ok).map((report) => report.firstBad)).toEqual([]);
    expect(new Set(reports.map((report) => report.lastSeq)).size).toBeGreaterThan(1);
  });
});

describe('a changed row', () => {
  const env = useAuditEnvironment();

  it('When one row is changed in Postgres, then verify exits non-zero naming that event', async () => {
    const { ids } = await seedChain(env);
    await asAttacker(env.pool, async (query) => {
      await query(`UPDATE audit_events SET outcome = 'failure' WHERE id = $1`, [ids[14]]);
    });
    const report = await verifyDatabase(env.db, { trustedKeys });
    expect(report.ok).toBe(false);
    expect(report.firstBad).toEqual({
      seq: 15,
      eventId: ids[14],
      reason: expect.stringMatching(/does not match its hash/),
    });
    const cli = await runCli(['--database-url', env.url, '--public-key', keyFile]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`first bad event: ${ids[14]} at seq 15`);
  });
});

describe('a deleted row', () => {
  const env = useAuditEnvironment();

  it('When one row is deleted, then verify names the seq that is missing and the event after the gap', async () => {
    const { ids } = await seedChain(env);
    await asAttacker(env.pool, async (query) => {
      await query('DELETE FROM audit_events WHERE id = $1', [ids[6]]);
    });
    const report = await verifyDatabase(env.db, { trustedKeys });
    expect(report.firstBad).toEqual({
      seq: 7,
      eventId: ids[7],
      reason: 'seq 7 is missing before this event (deleted)',
    });
    const cli = await runCommand(['--database-url', env.url, '--public-key', keyFile]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(ids[7]);
  });

  it('When the newest rows are deleted, then verify sees the chain end before its head', async () => {
    await asAttacker(env.pool, async (query) => {
      await query('DELETE FROM audit_events WHERE seq > 27');
    });
    const report = await verifyDatabase(env.db, { trustedKeys });
    expect(report.ok).toBe(false);
  });
});

describe('an inserted row', () => {
  const env = useAuditEnvironment();

  it('When a row is inserted into the middle of the chain, then verify names the inserted event', async () => {
    const { ids } = await seedChain(env);
    const forgedId = '01a20000-0000-7000-8000-00000000f0f0';
    await asAttacker(env.pool, async (query) => {
      await query(
        `INSERT INTO audit_events (seq, id, schema_version, occurred_at, recorded_at, action, outcome, actor_type,
                actor_pseudonym, actor_roles, actor_on_behalf_of, resource_type, resource_id, request_id, trace_id,
                source_ip_prefix, source_ip_pseudonym, details, prev_hash, hash)
         SELECT seq, $2, schema_version, occurred_at, recorded_at + interval '1 microsecond', action, outcome,
                actor_type, actor_pseudonym, actor_roles, actor_on_behalf_of, resource_type, resource_id, request_id,
                trace_id, source_ip_prefix, source_ip_pseudonym, details, prev_hash, hash
           FROM audit_events WHERE id = $1`,
        [ids[11], forgedId],
      );
    });
    const report = await verifyDatabase(env.db, { trustedKeys });
    expect(report.ok).toBe(false);
    expect(report.firstBad?.eventId).toBe(forgedId);
    const cli = await runCommand(['--database-url', env.url, '--public-key', keyFile]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(forgedId);
  });
});

describe('a rewritten chain', () => {
  const env = useAuditEnvironment();

  it('When a row is changed and every later hash recomputed, then the signed checkpoint exposes the rewrite', async () => {
    const { ids } = await seedChain(env);
    const exported = await new CheckpointStore(env.db).export();
    await asAttacker(env.pool, async (query) => {
      await query(`UPDATE audit_events SET outcome = 'failure' WHERE id = $1`, [ids[14]]);
    });
    await rehashFrom(env.pool, 15);
    const report = await verifyDatabase(env.db, { trustedKeys });
    expect(report.ok).toBe(false);
    expect(report.firstBad).toEqual({
      seq: 11,
      eventId: ids[10],
      reason: expect.stringMatching(/rewritten.*between seq 11 and 20/),
    });

    // The attacker also deletes the checkpoints in the database: the auditor's exported copy still catches it.
    await asAttacker(env.pool, async (query) => {
      await query('DELETE FROM audit_checkpoints');
    });
    expect((await verifyDatabase(env.db, { trustedKeys })).firstBad).toBeNull();
    const copy = join(await mkdtemp(join(tmpdir(), 'casebook-audit-cp-')), 'checkpoints.json');
    await writeFile(copy, JSON.stringify(exported));
    const cli = await runCommand(['--database-url', env.url, '--public-key', keyFile, '--checkpoints', copy]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`first bad event: ${ids[10]} at seq 11`);
  });
});

describe('forged checkpoints', () => {
  const env = useAuditEnvironment();

  it('When a checkpoint signature is altered, then verify reports the forged checkpoint', async () => {
    await seedChain(env);
    await asAttacker(env.pool, async (query) => {
      await query(`UPDATE audit_checkpoints SET signature = decode(repeat('ab', 64), 'hex') WHERE seq = 20`);
    });
    const report = await verifyDatabase(env.db, { trustedKeys });
    expect(report.ok).toBe(false);
    expect(report.checkpointProblems).toEqual([{ seq: 20, reason: expect.stringMatching(/does not verify/) }]);
    const cli = await runCommand(['--database-url', env.url, '--public-key', keyFile]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/bad checkpoint at seq 20: signature does not verify/);
  });

  it('When an attacker signs with a key of their own and stores it, then only the trusted key decides', async () => {
    const attacker = loadSigningKey(generateSigningKeySeed());
    const store = new CheckpointStore(env.db);
    await store.registerKey(attacker);
    const head = await new ChainWriter(env.db).head();
    await store.insert(signCheckpoint(attacker, { seq: head.seq, hash: head.hash }));
    const report = await verifyDatabase(env.db, { trustedKeys });
    expect(report.checkpointProblems).toContainEqual({ seq: 30, reason: expect.stringMatching(/not a trusted key/) });
  });
});
