import { Injectable } from '@nestjs/common';

/** One journaled change: the version it produced and the span of sale times it touched (null = all). */
export interface DataChange {
  version: number;
  from: number | null;
  to: number | null;
}

const MAX_CHANGES = 5_000;

/**
 * The data version of each dataset as this instance knows it, fed by NOTIFY (no polling, Q12.4), and
 * the recent change journal. Q12.1: a load every hour bumps the version, but it only touches the last
 * hour, so an entry is outdated only if a change *after it was computed* overlaps *its* time range:
 * "Q1 2024" survives every load of 2026, "this month" does not. Versions older than the journal kept
 * here count as touching everything (the conservative answer).
 */
@Injectable()
export class DataVersions {
  private readonly current = new Map<string, number>();
  private readonly journal = new Map<string, DataChange[]>();
  private readonly floor = new Map<string, number>();
  private readonly listeners = new Set<(dataset: string, version: number) => void>();
  private synced = false;

  /** Whether versions were read at least once; before that nothing may be served as fresh. */
  get ready(): boolean {
    return this.synced;
  }

  versionOf(dataset: string): number {
    return this.current.get(dataset) ?? Number.MAX_SAFE_INTEGER;
  }

  /**
   * The lowest data version an entry over `[from, to)` must have been computed at to still be right:
   * the latest change that overlaps the range (or the current version for an unbounded range).
   */
  requiredVersion(dataset: string, range: { from: number; to: number } | null): number {
    if (!this.synced) return Number.MAX_SAFE_INTEGER;
    const current = this.current.get(dataset) ?? Number.MAX_SAFE_INTEGER;
    if (!range) return current;
    const changes = this.journal.get(dataset) ?? [];
    for (let i = changes.length - 1; i >= 0; i -= 1) {
      const change = changes[i]!;
      if (change.from === null || change.to === null) return change.version;
      if (change.from < range.to && change.to >= range.from) return change.version;
    }
    return this.floor.get(dataset) ?? current;
  }

  /** A change announced by NOTIFY; older or repeated announcements are ignored. */
  apply(dataset: string, change: DataChange): void {
    const known = this.current.get(dataset) ?? 0;
    const changes = this.journal.get(dataset) ?? [];
    if (!changes.some((c) => c.version === change.version)) {
      changes.push(change);
      changes.sort((a, b) => a.version - b.version);
      if (changes.length > MAX_CHANGES) {
        const dropped = changes.splice(0, changes.length - MAX_CHANGES);
        this.floor.set(dataset, Math.max(this.floor.get(dataset) ?? 0, dropped[dropped.length - 1]!.version));
      }
      this.journal.set(dataset, changes);
    }
    if (change.version > known) {
      this.current.set(dataset, change.version);
      for (const listener of this.listeners) listener(dataset, change.version);
    }
  }

  /** State read from the database after (re)connecting: replaces what may have been missed. */
  replace(dataset: string, version: number, changes: DataChange[], complete: boolean): void {
    const previous = this.current.get(dataset);
    const sorted = [...changes].sort((a, b) => a.version - b.version);
    this.journal.set(dataset, sorted);
    // Without the whole journal, anything before its first entry may have touched any range.
    this.floor.set(dataset, complete ? 0 : Math.max(0, (sorted[0]?.version ?? version) - 1));
    this.current.set(dataset, version);
    this.synced = true;
    if (previous !== undefined && version > previous) {
      for (const listener of this.listeners) listener(dataset, version);
    }
  }

  onAdvance(listener: (dataset: string, version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
