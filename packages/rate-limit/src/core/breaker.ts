export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  failures: number;
  /** Time the breaker stays open before one call probes again. */
  cooldownMs: number;
  clock: () => number;
  onOpen: () => void;
  onClose: () => void;
}

/**
 * Keeps requests off a Redis that is down or slow: closed → (N failures) → open → (cooldown) → half-open, where
 * exactly one call probes; its success closes the breaker, its failure opens it for another cooldown.
 */
export class Breaker {
  private current: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(private readonly options: BreakerOptions) {}

  get state(): BreakerState {
    return this.current;
  }

  /** Whether this call may go to Redis. */
  tryAcquire(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open' && this.options.clock() - this.openedAt >= this.options.cooldownMs) {
      this.current = 'half-open';
    }
    if (this.current === 'half-open' && !this.probing) {
      this.probing = true;
      return true;
    }
    return false;
  }

  success(): void {
    this.consecutiveFailures = 0;
    this.probing = false;
    if (this.current !== 'closed') {
      this.current = 'closed';
      this.options.onClose();
    }
  }

  failure(): void {
    this.probing = false;
    if (this.current === 'half-open') {
      this.current = 'open';
      this.openedAt = this.options.clock();
      return;
    }
    this.consecutiveFailures += 1;
    if (this.current === 'closed' && this.consecutiveFailures >= this.options.failures) {
      this.current = 'open';
      this.openedAt = this.options.clock();
      this.options.onOpen();
    }
  }
}
