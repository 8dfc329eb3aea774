import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { fromChainedJson, type ChainedEventJson, toChainedJson } from '../chain/rows';
import type { ChainedEvent } from '../chain/chain-record';
import { type Checkpoint, keyMap } from '../checkpoints/checkpoint';
import { type AuditPublicKey, parsePublicKey } from '../checkpoints/signing-key';
import { ChainVerifier, GENESIS_ANCHOR, type ChainAnchor, type VerifyReport } from '../verify/chain-verifier';

export const ARCHIVE_FORMAT = 'casebook-audit-archive';

/** First line of an archive: what it holds and the keys its checkpoints are signed with. */
export interface ArchiveHeader {
  type: 'header';
  format: typeof ARCHIVE_FORMAT;
  v: 1;
  partition: string;
  /** Month covered, `[from, to)`, by recorded time. */
  from: string;
  to: string;
  fromSeq: number;
  toSeq: number;
  events: number;
  /** Hash of the event before `fromSeq` (zeros at genesis), vouched for by the checkpoint at `fromSeq - 1`. */
  prevHash: string;
  createdAt: string;
  publicKeys: Array<{ keyId: string; algorithm: 'Ed25519'; publicKeyPem: string }>;
}

export type ArchiveLine =
  | ArchiveHeader
  | ({ type: 'checkpoint' } & Checkpoint)
  | ({ type: 'event' } & ChainedEventJson)
  | { type: 'footer'; events: number; lastHash: string };

/**
 * Writes an archive: gzip JSON Lines — header, the checkpoints that prove it (the one before its first
 * event and the one at its last), every event in seq order, a footer. Written to a temporary name, flushed
 * and renamed, so a crash never leaves a truncated file under the final name. Returns its SHA-256.
 */
export async function writeArchiveFile(
  path: string,
  header: ArchiveHeader,
  checkpoints: readonly Checkpoint[],
  events: AsyncIterable<ChainedEvent>,
): Promise<string> {
  const partial = `${path}.partial`;
  async function* lines(): AsyncGenerator<string> {
    yield `${JSON.stringify(header)}\n`;
    for (const checkpoint of checkpoints) yield `${JSON.stringify({ type: 'checkpoint', ...checkpoint })}\n`;
    let count = 0;
    let lastHash = header.prevHash;
    for await (const event of events) {
      count += 1;
      lastHash = event.hash.toString('hex');
      yield `${JSON.stringify({ type: 'event', ...toChainedJson(event) })}\n`;
    }
    yield `${JSON.stringify({ type: 'footer', events: count, lastHash })}\n`;
  }
  await pipeline(Readable.from(lines()), createGzip({ level: 9 }), createWriteStream(partial));
  const handle = await fs.open(partial, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(partial, path);
  return sha256File(path);
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function* readArchiveLines(path: string): AsyncGenerator<ArchiveLine> {
  const file = createReadStream(path);
  const lines = createInterface({ input: file.pipe(createGunzip()), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line.trim()) yield JSON.parse(line) as ArchiveLine;
    }
  } finally {
    lines.close();
    file.destroy();
  }
}

export interface VerifyArchiveOptions {
  /** Keys trusted out of band; without them the keys in the file are used (and the report says so). */
  trustedKeys?: readonly AuditPublicKey[];
  /** The end of the previous archive, when verifying consecutive files: its last seq and hash. */
  previous?: ChainAnchor;
}

/**
 * Q6.4: an archive is verifiable on its own, years later and without the database: its chain from the
 * anchor to its last event, and the signed checkpoints at both ends.
 */
export async function verifyArchiveFile(
  path: string,
  options: VerifyArchiveOptions = {},
): Promise<VerifyReport & { header: ArchiveHeader | null }> {
  const iterator = readArchiveLines(path);
  const first = await iterator.next();
  const header = first.done ? null : first.value;
  if (!header || header.type !== 'header' || header.format !== ARCHIVE_FORMAT) {
    return { ...emptyFailure('not a casebook audit archive'), header: null };
  }
  const checkpoints: Checkpoint[] = [];
  const keys = options.trustedKeys ?? header.publicKeys.map((key) => parsePublicKey(key.publicKeyPem));
  let verifier: ChainVerifier | null = null;
  let footer: { events: number; lastHash: string } | null = null;
  let anchorProblem: string | null = null;

  const start = (): ChainVerifier => {
    let anchor: ChainAnchor = GENESIS_ANCHOR;
    if (header.fromSeq > 1) {
      const before = checkpoints.find((checkpoint) => checkpoint.seq === header.fromSeq - 1);
      if (!before) anchorProblem = `no checkpoint at seq ${header.fromSeq - 1} anchors the archive`;
      anchor = { seq: header.fromSeq - 1, hash: Buffer.from(before?.headHash ?? header.prevHash, 'hex') };
    }
    if (anchor.hash.toString('hex') !== header.prevHash) anchorProblem = 'the header prevHash differs from the anchor';
    if (options.previous && !(options.previous.seq === anchor.seq && options.previous.hash.equals(anchor.hash))) {
      anchorProblem = `the archive does not continue the previous one (expected seq ${options.previous.seq + 1})`;
    }
    const created = new ChainVerifier(anchor, checkpoints, keyMap(keys));
    if (header.fromSeq > 1 && !created.trusts(header.fromSeq - 1)) {
      anchorProblem ??= `the checkpoint anchoring seq ${header.fromSeq - 1} does not verify`;
    }
    if (!created.trusts(header.toSeq)) anchorProblem ??= `no verified checkpoint at the last seq ${header.toSeq}`;
    if (!options.trustedKeys) created.warn('checkpoint keys were read from the archive itself; pass the public key');
    return created;
  };

  for await (const line of iterator) {
    if (line.type === 'checkpoint') {
      const { type: _type, ...checkpoint } = line;
      checkpoints.push(checkpoint);
    } else if (line.type === 'event') {
      verifier ??= start();
      const { type: _type, ...event } = line;
      if (!verifier.feed(fromChainedJson(event))) break;
    } else if (line.type === 'footer') {
      footer = line;
    }
  }
  verifier ??= start();
  const report = verifier.finish({ seq: header.toSeq, hash: null, source: 'the archive header' });
  if (!report.firstBad && anchorProblem) {
    return { ...report, ok: false, firstBad: { seq: header.fromSeq, eventId: null, reason: anchorProblem }, header };
  }
  if (report.ok && (!footer || footer.events !== header.events || footer.events !== report.eventsChecked)) {
    return {
      ...report,
      ok: false,
      firstBad: { seq: report.lastSeq, eventId: null, reason: 'the archive is truncated (footer missing or wrong)' },
      header,
    };
  }
  return { ...report, header };
}

function emptyFailure(reason: string): VerifyReport {
  return {
    ok: false,
    eventsChecked: 0,
    firstSeq: null,
    lastSeq: null,
    headHash: null,
    checkpointsVerified: 0,
    lastCheckpointSeq: null,
    firstBad: { seq: null, eventId: null, reason },
    checkpointProblems: [],
    warnings: [],
  };
}
