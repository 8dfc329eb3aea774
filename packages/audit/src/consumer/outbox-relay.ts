import type { Logger, Metrics } from '@casebook/platform';
import type { ChainWriter } from '../store/chain-writer';

export interface OutboxRelayOptions {
  writer: ChainWriter;
  batchSize: number;
  pollMs: number;
  logger?: Logger;
  metrics?: Metrics;
  onAppended?: (appended: number) => void;
}

/**
 * Polls `audit_outbox` and moves its rows into the chain (Q6.1). Each relay is one transaction, so
 * a relay killed half-way leaves the rows where they were. Drains without pausing while rows remain.
 */
export class OutboxRelay {
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly persisted;

  constructor(private readonly options: OutboxRelayOptions) {
    this.persisted = options.metrics?.counter('audit_events_persisted_total', 'Audit events appended to the chain.', [
      'source',
    ]);
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One relay pass until the outbox is empty; returns the events appended. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await this.options.writer.relayOutbox(this.options.batchSize);
      total += result.appended.length;
      this.persisted?.inc({ source: 'outbox' }, result.appended.length);
      if (result.appended.length > 0) this.options.onAppended?.(result.appended.length);
      if (result.invalid > 0) {
        this.options.logger?.error(
          { invalid: result.invalid },
          'audit outbox rows that do not parse are left in place',
        );
      }
      if (result.relayed < this.options.batchSize || this.stopped) return total;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .then(() => this.schedule(this.options.pollMs))
        .catch((error: unknown) => {
          this.options.logger?.error({ err: error }, 'audit outbox relay failed; retrying');
          this.schedule(Math.max(this.options.pollMs, 1_000));
        });
    }, delayMs);
  }
}
