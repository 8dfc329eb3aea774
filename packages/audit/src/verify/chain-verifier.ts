import { chainHash, chainPayload, type ChainedEvent, GENESIS_HASH } from '../chain/chain-record';
import { type Checkpoint, verifyCheckpoint } from '../checkpoints/checkpoint';
import type { AuditPublicKey } from '../checkpoints/signing-key';
import type { AuditEvent } from '../events/event.schema';

/** Where verification stopped trusting the log: the first event that fails, or the checkpoint. */
export interface VerifyFailure {
  /** The seq at which the chain breaks (for a missing event, the missing seq). */
  seq: number | null;
  /** The first bad event: the one that fails a check, or the first one a broken checkpoint no longer vouches for. */
  eventId: string | null;
  reason: string;
}

export interface CheckpointProblem {
  seq: number;
  reason: string;
}

export interface VerifyReport {
  ok: boolean;
  eventsChecked: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** Hex hash of the last verified event. */
  headHash: string | null;
  checkpointsVerified: number;
  /** The newest checkpoint that matched the chain. */
  lastCheckpointSeq: number | null;
  firstBad: VerifyFailure | null;
  checkpointProblems: CheckpointProblem[];
  warnings: string[];
}

export interface ChainAnchor {
  /** Seq of the event before the first one to verify (0 at genesis). */
  seq: number;
  hash: Buffer;
}

export const GENESIS_ANCHOR: ChainAnchor = { seq: 0, hash: GENESIS_HASH };

function eventOf(chained: ChainedEvent): AuditEvent {
  const { seq: _seq, recordedAt: _recordedAt, prevHash: _prevHash, hash: _hash, ...event } = chained;
  return event;
}

/**
 * Q6.2: walks events in seq order and checks, for each, that
 *   1. its seq follows the previous one (a gap is a deleted event, a repeat an inserted one),
 *   2. its prev_hash is the previous event's hash,
 *   3. sha256(prev_hash ‖ canonical(event)) is its hash (its content is what was written),
 *   4. at every signed checkpoint, the running hash is the signed head hash (the chain was not rewritten
 *      and re-hashed after the checkpoint was signed).
 * Checkpoints are first checked against the trusted public keys; one that does not verify is reported
 * and never used. Feed events one at a time, so a log of any size verifies in constant memory.
 */
export class ChainVerifier {
  private running: Buffer;
  private lastSeq: number;
  private firstSeq: number | null = null;
  private checked = 0;
  private failure: VerifyFailure | null = null;
  private readonly checkpoints = new Map<number, Checkpoint>();
  private readonly problems: CheckpointProblem[] = [];
  private readonly warnings: string[] = [];
  private verifiedCheckpoints = 0;
  private lastCheckpointSeq: number | null = null;
  /** The first event after the newest matching checkpoint: where a rewrite that re-hashed the chain could start. */
  private sinceCheckpoint: { seq: number; id: string } | null = null;

  constructor(
    anchor: ChainAnchor,
    checkpoints: readonly Checkpoint[],
    trustedKeys: ReadonlyMap<string, AuditPublicKey>,
  ) {
    this.running = anchor.hash;
    this.lastSeq = anchor.seq;
    for (const checkpoint of checkpoints) {
      const check = verifyCheckpoint(checkpoint, trustedKeys);
      if (check.ok) this.checkpoints.set(checkpoint.seq, checkpoint);
      else this.problems.push({ seq: checkpoint.seq, reason: check.reason });
    }
    const anchorCheckpoint = this.checkpoints.get(anchor.seq);
    if (anchorCheckpoint) this.lastCheckpointSeq = anchor.seq;
  }

  /** A caveat that does not fail verification (e.g. where the trusted keys came from). */
  warn(message: string): void {
    this.warnings.push(message);
  }

  /** Whether a checkpoint at `seq` verified against the trusted keys. */
  trusts(seq: number): boolean {
    return this.checkpoints.has(seq);
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  /** Checks the next event; returns false once the chain is broken (later events are not checked). */
  feed(event: ChainedEvent): boolean {
    if (this.failure) return false;
    const expected = this.lastSeq + 1;
    if (event.seq !== expected) {
      const reason =
        event.seq > expected
          ? `seq ${expected}${event.seq - 1 > expected ? `–${event.seq - 1}` : ''} is missing before this event (deleted)`
          : `seq ${event.seq} appears again after seq ${this.lastSeq} (inserted or duplicated row)`;
      return this.fail({ seq: event.seq > expected ? expected : event.seq, eventId: event.id, reason });
    }
    if (!event.prevHash.equals(this.running)) {
      return this.fail({
        seq: event.seq,
        eventId: event.id,
        reason: 'prev_hash is not the hash of the previous event (inserted, moved, or the previous hash was altered)',
      });
    }
    let recomputed: Buffer;
    try {
      recomputed = chainHash(this.running, chainPayload(eventOf(event), event.seq, event.recordedAt));
    } catch (error) {
      return this.fail({
        seq: event.seq,
        eventId: event.id,
        reason: `content cannot be canonicalised (${(error as Error).message})`,
      });
    }
    if (!recomputed.equals(event.hash)) {
      return this.fail({
        seq: event.seq,
        eventId: event.id,
        reason: 'content does not match its hash (changed after it was written)',
      });
    }
    if (this.firstSeq === null) this.firstSeq = event.seq;
    if (this.sinceCheckpoint === null) this.sinceCheckpoint = { seq: event.seq, id: event.id };
    this.running = recomputed;
    this.lastSeq = event.seq;
    this.checked += 1;

    const checkpoint = this.checkpoints.get(event.seq);
    if (checkpoint) {
      if (checkpoint.headHash !== recomputed.toString('hex')) {
        const since = this.sinceCheckpoint;
        return this.fail({
          seq: since.seq,
          eventId: since.id,
          reason:
            `the chain was rewritten: the checkpoint signed at seq ${checkpoint.seq} does not match the events; ` +
            `the change is between seq ${since.seq} and ${checkpoint.seq}`,
        });
      }
      this.verifiedCheckpoints += 1;
      this.lastCheckpointSeq = event.seq;
      this.sinceCheckpoint = null;
    }
    return true;
  }

  /**
   * Ends the walk. `head` is where the log says the chain ends (the chain-head row, or an archive's last
   * seq); events missing from the tail show up against it and against checkpoints past the last event.
   */
  finish(head?: { seq: number; hash: Buffer | null; source: string }): VerifyReport {
    if (!this.failure) {
      const beyond = [...this.checkpoints.keys()].filter((seq) => seq > this.lastSeq).sort((a, b) => a - b)[0];
      if (beyond !== undefined) {
        this.fail({
          seq: this.lastSeq + 1,
          eventId: null,
          reason: `events from seq ${this.lastSeq + 1} are missing: a signed checkpoint covers seq ${beyond}`,
        });
      } else if (head && head.seq !== this.lastSeq) {
        this.fail({
          seq: Math.min(head.seq, this.lastSeq) + 1,
          eventId: null,
          reason:
            head.seq > this.lastSeq
              ? `${head.source} is at seq ${head.seq} but the events end at seq ${this.lastSeq} (deleted from the tail)`
              : `events continue past ${head.source} (seq ${head.seq}) to seq ${this.lastSeq} (appended outside the writer)`,
        });
      } else if (head?.hash && !head.hash.equals(this.running)) {
        this.fail({
          seq: this.lastSeq,
          eventId: null,
          reason: `${head.source} hash differs from the hash of the last event`,
        });
      }
    }
    if (!this.failure && this.lastCheckpointSeq !== this.lastSeq && this.lastSeq > 0) {
      this.warnings.push(
        `events after seq ${this.lastCheckpointSeq ?? 0} are not covered by a signed checkpoint yet ` +
          `(${this.lastSeq - (this.lastCheckpointSeq ?? 0)} events)`,
      );
    }
    return {
      ok: this.failure === null && this.problems.length === 0,
      eventsChecked: this.checked,
      firstSeq: this.firstSeq,
      lastSeq: this.checked > 0 ? this.lastSeq : null,
      headHash: this.checked > 0 ? this.running.toString('hex') : null,
      checkpointsVerified: this.verifiedCheckpoints,
      lastCheckpointSeq: this.lastCheckpointSeq,
      firstBad: this.failure,
      checkpointProblems: this.problems,
      warnings: this.warnings,
    };
  }

  private fail(failure: VerifyFailure): false {
    this.failure = failure;
    return false;
  }
}
