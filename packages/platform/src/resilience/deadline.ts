/** A promise that did not settle within its budget. `budgetMs` and `what` say which one and how long. */
export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';

  constructor(
    readonly what: string,
    readonly budgetMs: number,
  ) {
    super(`${what} did not answer within ${budgetMs} ms`);
  }
}

/**
 * The one promise timeout: settles as `work` does, or rejects with `DeadlineExceeded` after `ms`.
 * The timer is cleared either way, so a fast answer leaves nothing behind. `work` is not cancelled (a
 * promise cannot be); pass an AbortSignal to the work itself when it must stop.
 */
export function withDeadline<T>(work: Promise<T> | (() => Promise<T>), ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineExceeded(what, ms)), ms);
    let promise: Promise<T>;
    try {
      promise = typeof work === 'function' ? work() : work;
    } catch (error) {
      clearTimeout(timer);
      reject(error);
      return;
    }
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
