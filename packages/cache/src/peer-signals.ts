/**
 * Wakes callers waiting for another instance's load of a key: the coherency bus calls `wake` when the
 * value lands; waiters also time out and poll, so a lost message only costs a poll interval.
 */
export class PeerSignals {
  private readonly waiters = new Map<string, Set<() => void>>();

  waitFor(key: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(key);
      if (!set) this.waiters.set(key, (set = new Set()));
      const done = (): void => {
        clearTimeout(timer);
        set!.delete(done);
        if (set!.size === 0 && this.waiters.get(key) === set) this.waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  wake(key: string): void {
    for (const done of [...(this.waiters.get(key) ?? [])]) done();
  }
}
