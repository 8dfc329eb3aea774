/**
 * A one-producer, one-consumer async queue. The breaker needs a promise (one call = one outcome) while
 * the caller needs a stream; the vendor call runs inside the breaker and pushes chunks here, and the
 * caller reads them as they come.
 */
export class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  private closed = false;
  private error: { value: unknown } | undefined;

  push(item: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
    } else this.items.push(item);
  }

  end(): void {
    this.settle(undefined);
  }

  fail(error: unknown): void {
    this.settle({ value: error });
  }

  private settle(error: { value: unknown } | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.error = error;
    if (!this.waiting) return;
    const waiter = this.waiting;
    this.waiting = undefined;
    if (error) waiter.reject(error.value);
    else waiter.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
        if (this.closed) {
          return this.error ? Promise.reject(this.error.value) : Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
      },
    };
  }
}
