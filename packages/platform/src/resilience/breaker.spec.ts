import { CircuitBreaker } from './breaker';

function build(threshold = 2) {
  let now = 0;
  const changes: string[] = [];
  const breaker = new CircuitBreaker(
    { failureThreshold: threshold, openMs: 100 },
    { clock: () => now, onChange: (state) => changes.push(state) },
  );
  return { breaker, changes, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('When consecutive failures reach the threshold, then it opens and turns calls away', () => {
    const { breaker, changes } = build(2);
    breaker.failure();
    expect(breaker.allow()).toBe(true);
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBe(false);
    expect(changes).toEqual(['open']);
  });

  it('When a success comes between failures, then the count starts again and it stays closed', () => {
    const { breaker, changes } = build(2);
    breaker.failure();
    breaker.success();
    breaker.failure();
    expect(breaker.state).toBe('closed');
    expect(changes).toEqual([]);
  });

  it('When the open period has passed, then it is half-open and lets exactly one probe through', () => {
    const { breaker, advance } = build(1);
    breaker.failure();
    advance(100);
    expect(breaker.state).toBe('half-open');
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false);
  });

  it('When the probe succeeds, then it closes and reports the change', () => {
    const { breaker, changes, advance } = build(1);
    breaker.failure();
    advance(100);
    breaker.allow();
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.allow()).toBe(true);
    expect(changes).toEqual(['open', 'closed']);
  });

  it('When the probe fails, then it opens for another full period without reporting a second opening', () => {
    const { breaker, changes, advance } = build(1);
    breaker.failure();
    advance(100);
    breaker.allow();
    breaker.failure();
    expect(breaker.state).toBe('open');
    advance(99);
    expect(breaker.allow()).toBe(false);
    advance(1);
    expect(breaker.allow()).toBe(true);
    expect(changes).toEqual(['open']);
  });
});
