export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures (errors or blown latency budgets) that open the breaker. */
  failureThreshold: number;
  /** How long it stays open before one probe is let through. */
  openMs: number;
}

export interface BreakerHooks {
  /** This process's clock in ms; tests inject one they move by hand. */
  clock?: () => number;
  /** Called when the breaker opens and when it closes again (not for a failed probe re-opening it). */
  onChange?: (state: 'open' | 'closed') => void;
}

/**
 * The one circuit breaker (ADR 0014). Q18.2: when a dependency is slow or failing, stop asking it for a
 * while instead of making every request wait for its budget. Closed → (n consecutive failures) → open →
 * (after openMs) half-open, where exactly one probe is let through: its success closes the breaker, its
 * failure opens it for another period.
 *
 * The caller asks `allow()` before the call and reports `success()`/`failure()` after it, all synchronous:
 * a hot path (a cache read, a rate-limit decision) pays no promise or timer for it, and the state is a
 * pure function of the clock, so tests move time instead of waiting.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private opened = false;
  private readonly clock: () => number;
  private readonly onChange: (state: 'open' | 'closed') => void;

  constructor(
    private readonly options: BreakerOptions,
    hooks: BreakerHooks = {},
  ) {
    this.clock = hooks.clock ?? Date.now;
    this.onChange = hooks.onChange ?? (() => undefined);
  }

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
    const probe = this.probing;
    this.probing = false;
    if (this.opened) {
      // A failed probe opens it for another period; a late failure of a call let through before the
      // breaker opened changes nothing.
      if (probe) this.openedAt = this.clock();
      return;
    }
    this.failures += 1;
    if (this.failures >= this.options.failureThreshold) {
      this.opened = true;
      this.openedAt = this.clock();
      this.onChange('open');
    }
  }
}
