import { DeadlineExceeded, withDeadline } from './deadline';

describe('withDeadline', () => {
  it('When the work answers within the budget, then its value comes back', async () => {
    await expect(withDeadline(Promise.resolve(42), 1_000, 'answer')).resolves.toBe(42);
  });

  it('When the work is a function, then it is called and its value comes back', async () => {
    const work = jest.fn(async () => 'done');
    await expect(withDeadline(work, 1_000, 'answer')).resolves.toBe('done');
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('When the work never answers, then it rejects with DeadlineExceeded naming the work and the budget', async () => {
    const started = performance.now();
    const error = await withDeadline(new Promise<never>(() => undefined), 30, 'redis').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceeded);
    expect(error).toMatchObject({ what: 'redis', budgetMs: 30, message: 'redis did not answer within 30 ms' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('When the work fails within the budget, then its own error comes back, not a timeout', async () => {
    const failure = new Error('refused');
    await expect(withDeadline(Promise.reject(failure), 1_000, 'redis')).rejects.toBe(failure);
  });

  it('When the work function throws synchronously, then the promise rejects with that error', async () => {
    const failure = new Error('bad arguments');
    await expect(
      withDeadline(
        () => {
          throw failure;
        },
        1_000,
        'redis',
      ),
    ).rejects.toBe(failure);
  });
});
