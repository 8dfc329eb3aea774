export interface BreakerOptions {
  /** Consecutive failures (errors or blown latency budgets) that open the breaker. */
  failureThreshold: number;
  /** How long it stays open before one probe is let through. */
  openMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Q18.2: when Redis is slow or failing, stop asking it for a while instead of making every request wait
 * for its budget. Closed → (n failures) → open → (after openMs) half-open: one probe decides.
 */
export class Breaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private opened = false;

  constructor(
    private readonly options: BreakerOptions,
    private readonly clock: () => number = Date.now,
    private readonly onChange: (state: BreakerState) => void = () => undefined,
  ) {}

  get state(): BreakerState {
    if (!this.opened) return 'closed';
    return this.clock() - this.openedAt >= this.options.openMs ? 'half-open' : 'open';
  }

  /** Whether a call may go to the dependency now; in half-open only one probe at a time. */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
    if (this.opened) {
      this.opened = false;
      this.onChange('closed');
    }
  }

  failure(): void {
    this.probing = false;
    this.failures += 1;
    if (this.opened) {
      // A failed probe: open for another period.
      this.openedAt = this.clock();
    } else if (this.failures >= this.options.failureThreshold) {
      this.opened = true;
      this.openedAt = this.clock();
      this.onChange('open');
    }
  }
}
