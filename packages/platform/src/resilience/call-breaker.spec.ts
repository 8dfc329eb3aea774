import { once } from 'node:events';
import { breakerRejection, callBreaker } from './call-breaker';

class Refused extends Error {}

describe('callBreaker', () => {
  it('When calls fail past the error rate, then it opens and turns calls away with EOPENBREAKER; after the reset one good call closes it', async () => {
    let healthy = false;
    const breaker = callBreaker(async () => (healthy ? 'ok' : Promise.reject(new Error('down'))), {
      timeoutMs: 1_000,
      errorThresholdPercentage: 50,
      volumeThreshold: 2,
      resetTimeoutMs: 50,
    });
    try {
      await expect(breaker.fire()).rejects.toThrow('down');
      await expect(breaker.fire()).rejects.toThrow('down');
      expect(breaker.opened).toBe(true);
      const turnedAway = await breaker.fire().catch((e: unknown) => e);
      expect(breakerRejection(turnedAway)).toBe('EOPENBREAKER');

      await once(breaker, 'halfOpen');
      healthy = true;
      await expect(breaker.fire()).resolves.toBe('ok');
      expect(breaker.closed).toBe(true);
    } finally {
      breaker.shutdown();
    }
  });

  it('When an error is an answer, then it reaches the caller but does not open the breaker', async () => {
    const breaker = callBreaker(async () => Promise.reject(new Refused('no')), {
      timeoutMs: 1_000,
      errorThresholdPercentage: 50,
      volumeThreshold: 1,
      resetTimeoutMs: 1_000,
      isAnswer: (error) => error instanceof Refused,
    });
    try {
      for (let i = 0; i < 3; i += 1) await expect(breaker.fire()).rejects.toBeInstanceOf(Refused);
      expect(breaker.closed).toBe(true);
      expect(breakerRejection(new Refused('no'))).toBeUndefined();
    } finally {
      breaker.shutdown();
    }
  });

  it('When a call outlasts its budget, then it fails with ETIMEDOUT', async () => {
    const breaker = callBreaker(() => new Promise<never>(() => undefined), {
      timeoutMs: 20,
      errorThresholdPercentage: 50,
      volumeThreshold: 10,
      resetTimeoutMs: 1_000,
    });
    try {
      expect(breakerRejection(await breaker.fire().catch((e: unknown) => e))).toBe('ETIMEDOUT');
    } finally {
      breaker.shutdown();
    }
  });
});
