/**
 * In-process request coalescing: concurrent callers for one key share one promise. The first layer of
 * stampede protection (Q13.3); the Redis lease extends it across instances.
 */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Promise<T>>();

  /** Whether `key` already has a flight (the caller joins it). */
  has(key: string): boolean {
    return this.flights.has(key);
  }

  run(key: string, work: () => Promise<T>): { promise: Promise<T>; joined: boolean } {
    const existing = this.flights.get(key);
    if (existing) return { promise: existing, joined: true };
    const promise = (async () => {
      try {
        return await work();
      } finally {
        this.flights.delete(key);
      }
    })();
    this.flights.set(key, promise);
    return { promise, joined: false };
  }

  get size(): number {
    return this.flights.size;
  }
}
