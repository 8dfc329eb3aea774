import {
  ChainWriter,
  CheckpointStore,
  GENESIS_HASH,
  chainHash,
  chainPayload,
  generateSigningKeySeed,
  loadSigningKey,
  verifyDatabase,
} from '../src';
import { useAuditEnvironment } from './support/audit-environment';
import { buildEvents } from './support/events';

const env = useAuditEnvironment();

describe('ChainWriter', () => {
  it('When events are appended, then they get consecutive seqs and each hash chains to the previous one', async () => {
    const writer = new ChainWriter(env.db);
    const before = await writer.head();
    const events = buildEvents(3);
    const { appended, head } = await writer.append(events);
    expect(appended.map((e) => e.seq)).toEqual([before.seq + 1, before.seq + 2, before.seq + 3]);
    expect(appended[0]!.prevHash.equals(before.seq === 0 ? GENESIS_HASH : before.hash)).toBe(true);
    for (const [i, event] of appended.entries()) {
      const { seq, recordedAt, prevHash, hash, ...rest } = event;
      expect(hash.equals(chainHash(prevHash, chainPayload(rest, seq, recordedAt)))).toBe(true);
      if (i > 0) expect(prevHash.equals(appended[i - 1]!.hash)).toBe(true);
    }
    expect(head).toEqual({ seq: appended[2]!.seq, hash: appended[2]!.hash });
  });

  it('When the same events are delivered again, then nothing is stored twice', async () => {
    const writer = new ChainWriter(env.db);
    const events = buildEvents(5);
    await writer.append(events.slice(0, 3));
    const again = await writer.append([...events, events[4]!]);
    expect(again.appended.map((e) => e.id)).toEqual([events[3]!.id, events[4]!.id]);
    expect(again.duplicates).toBe(4);
    const [{ count }] = await env.db.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM audit_events WHERE id = ANY($1::uuid[])',
      [events.map((e) => e.id)],
    );
    expect(count).toBe(5);
  });

  it('When several writers append at once, then the chain stays one line without gaps and verifies', async () => {
    const writers = Array.from({ length: 4 }, () => new ChainWriter(env.db));
    await Promise.all(writers.flatMap((writer) => Array.from({ length: 5 }, () => writer.append(buildEvents(7)))));
    const report = await verifyDatabase(env.db);
    expect(report).toMatchObject({ ok: true, firstBad: null });
    const [{ gaps }] = await env.db.query<{ gaps: number }>(
      'SELECT (max(seq) - min(seq) + 1 - count(*))::int AS gaps FROM audit_events',
    );
    expect(gaps).toBe(0);
  });

  it('When an event is recorded in a month without a partition, then the partition is created for it', async () => {
    const writer = new ChainWriter(env.db, { clock: () => new Date() });
    const farFuture = new ChainWriter(env.db, { clock: () => new Date(Date.UTC(2031, 6, 15)) });
    await writer.append(buildEvents(1));
    await farFuture.append(buildEvents(1));
    const rows = await env.db.query<{ name: string }>(
      "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_events'::regclass",
    );
    expect(rows.map((r) => r.name)).toContain('audit_events_2031_07');
    // Chain time never goes back: after the 2031 event, "now" is recorded as 2031 too.
    const after = await writer.append(buildEvents(1));
    expect(after.appended[0]!.recordedAt.startsWith('2031-07-15')).toBe(true);
  });

  it('When anyone updates, deletes or truncates audit rows, then the database refuses', async () => {
    await new ChainWriter(env.db).append(buildEvents(1));
    await expect(env.db.query("UPDATE audit_events SET outcome = 'failure'")).rejects.toThrow(/append-only/);
    await expect(env.db.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    await expect(env.db.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    const [partition] = await env.db.query<{ name: string }>(
      "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_events'::regclass LIMIT 1",
    );
    await expect(env.db.query('TRUNCATE ' + partition!.name)).rejects.toThrow(/append-only/);
    const store = new CheckpointStore(env.db);
    const key = loadSigningKey(generateSigningKeySeed());
    await store.registerKey(key);
    await store.checkpointHead(key);
    await expect(env.db.query('DELETE FROM audit_checkpoints')).rejects.toThrow(/append-only/);
    await expect(env.db.query("UPDATE audit_signing_keys SET public_key = 'x'")).rejects.toThrow(/append-only/);
  });
});
