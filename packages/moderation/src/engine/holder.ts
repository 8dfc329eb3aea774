import type { ModerationContext, Verdict } from '../types';
import { evaluate } from './evaluate';
import type { Snapshot } from './snapshot';

/** What one evaluation saw: the active verdict, and the shadow's when a shadow version runs beside it. */
export interface HeldVerdict {
  verdict: Verdict;
  /** Q28.4: what the shadow version would have decided; it never changes the answer. */
  shadow?: Verdict;
}

/**
 * Q24.3: the current compiled snapshot of a process, swapped atomically. `swap` is one reference
 * assignment; `evaluate` reads the reference once at its start, so a request that started before a
 * swap finishes on the snapshot it started with. Versions only move to the one published last:
 * an announcement that arrives late (an older `sequence`) is ignored.
 */
export class SnapshotHolder {
  private active: Snapshot;
  private shadow: Snapshot | undefined;
  private sequence: number;

  constructor(initial: Snapshot, sequence = 0) {
    this.active = initial;
    this.sequence = sequence;
  }

  current(): Snapshot {
    return this.active;
  }

  currentShadow(): Snapshot | undefined {
    return this.shadow;
  }

  /** The publish sequence of the active snapshot (0 for the one the process started with). */
  get publishedSequence(): number {
    return this.sequence;
  }

  /** Installs `next` when it was published after the current one; returns whether it was installed. */
  swap(next: Snapshot, sequence: number, shadow?: Snapshot): boolean {
    if (sequence <= this.sequence) return false;
    this.active = next;
    this.shadow = shadow;
    this.sequence = sequence;
    return true;
  }

  evaluate(text: string, context: ModerationContext = {}): HeldVerdict {
    // One read of each reference: a swap during the call cannot mix two versions in one answer.
    const active = this.active;
    const shadow = this.shadow;
    const now = context.now ?? Date.now();
    const verdict = evaluate(active, text, { ...context, now });
    return shadow === undefined ? { verdict } : { verdict, shadow: evaluate(shadow, text, { ...context, now }) };
  }
}
