import { Breaker } from './breaker';

describe('Breaker', () => {
  it('When failures reach the threshold, then it opens; after the cooldown one probe decides whether it closes', () => {
    let now = 0;
    const events: string[] = [];
    const breaker = new Breaker({
      failures: 2,
      cooldownMs: 100,
      clock: () => now,
      onOpen: () => events.push('open'),
      onClose: () => events.push('close'),
    });
    breaker.failure();
    expect(breaker.tryAcquire()).toBe(true);
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);

    now = 100;
    expect(breaker.tryAcquire()).toBe(true); // the probe
    expect(breaker.tryAcquire()).toBe(false); // only one at a time
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);

    now = 200;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(events).toEqual(['open', 'close']);
  });
});
