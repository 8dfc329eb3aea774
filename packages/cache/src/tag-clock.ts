import type { RedisTier } from './redis-tier';

interface Known {
  at: number;
  checkedAt: number;
}

/**
 * Lazy tag invalidation (Q12.2, Q20.3): each tag has one "invalidated at" time in Redis; an entry is
 * invalid when any of its tags was invalidated at or after the entry's `asOf`. Nothing is scanned or
 * deleted. This keeps the last known times in memory: the coherency bus pushes new ones as they happen,
 * and a time older than `ttlMs` is read again, so a missed bus message costs at most `ttlMs`.
 */
export class TagClock {
  private readonly known = new Map<string, Known>();
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly l2: RedisTier | null,
    private readonly ttlMs: number,
    private readonly clock: () => number,
  ) {}

  /** Records an invalidation seen on the bus or made here. */
  set(tag: string, at: number): void {
    const current = this.known.get(tag);
    this.known.set(tag, { at: Math.max(at, current?.at ?? 0), checkedAt: this.clock() });
  }

  clear(): void {
    this.known.clear();
  }

  /**
   * The latest invalidation time among `tags`: synchronous when every tag is known and recent (the hot
   * path), otherwise after one pipelined read. When Redis cannot answer, the last known times stand.
   */
  latest(tags: readonly string[]): number | Promise<number> {
    if (tags.length === 0) return 0;
    const now = this.clock();
    let max = 0;
    let stale: string[] | undefined;
    for (const tag of tags) {
      const known = this.known.get(tag);
      if (!known || now - known.checkedAt >= this.ttlMs) (stale ??= []).push(tag);
      if (known && known.at > max) max = known.at;
    }
    if (!stale || !this.l2 || !this.l2.usable) return max;
    return this.refresh(stale).then(() => this.max(tags));
  }

  private max(tags: readonly string[]): number {
    let max = 0;
    for (const tag of tags) max = Math.max(max, this.known.get(tag)?.at ?? 0);
    return max;
  }

  private async refresh(tags: string[]): Promise<void> {
    const missing = tags.filter((t) => !this.pending.has(t));
    if (missing.length > 0) {
      const fetch = this.l2!.tagTimes(missing).then(
        (times) => {
          for (const [tag, at] of times) this.set(tag, at);
        },
        () => undefined,
      );
      const done = fetch.finally(() => {
        for (const tag of missing) this.pending.delete(tag);
      });
      for (const tag of missing) this.pending.set(tag, done);
    }
    await Promise.all(tags.map((t) => this.pending.get(t)));
  }
}
