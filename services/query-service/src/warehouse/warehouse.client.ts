import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { bestEffort, CircuitBreaker, CONFIG, type Logger, LOGGER, Metrics } from '@casebook/platform';
import { Pool } from 'pg';
import type { QueryConfig } from '../config';
import type { DataQuery } from '../questions/canonical-query';
import { type AggregateRow, buildAggregate, type Keyset, toAggregateRows } from './aggregate-sql';

/** The warehouse cannot answer now; `retryAfterS` is when asking again makes sense. */
export class WarehouseUnavailable extends Error {
  constructor(
    readonly reason: 'breaker-open' | 'saturated' | 'error' | 'timeout',
    readonly retryAfterS: number,
    cause?: unknown,
  ) {
    super(`warehouse unavailable: ${reason}`, cause === undefined ? undefined : { cause });
    this.name = 'WarehouseUnavailable';
  }
}

export interface AggregateAnswer {
  rows: AggregateRow[];
  ms: number;
}

/**
 * Q16.3, Q16.4: the warehouse behind a bounded pool (its own, apart from the service's tables), a
 * bulkhead (a bounded queue with a wait timeout, so a slow warehouse makes requests fail fast rather than
 * pile up until memory runs out) and a breaker (after consecutive failures, stop asking for a while and
 * say when to retry). Statement timeout bounds any single query.
 */
@Injectable()
export class WarehouseClient implements OnApplicationShutdown {
  private readonly pool: Pool;
  private readonly breaker: CircuitBreaker;
  private active = 0;
  private readonly queue: (() => void)[] = [];
  private readonly durations;
  private readonly outcomes;

  constructor(
    @Inject(CONFIG) private readonly config: QueryConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.pool = new Pool({
      connectionString: config.WAREHOUSE_URL ?? config.DATABASE_URL,
      max: config.WAREHOUSE_POOL_SIZE,
      application_name: 'casebook-query-warehouse',
      statement_timeout: config.WAREHOUSE_STATEMENT_TIMEOUT_MS,
      connectionTimeoutMillis: 3_000,
      idleTimeoutMillis: 30_000,
    });
    // A client that loses its server (restart, terminate) must not crash the process: an idle one is
    // reported by the pool, one checked out between two statements by the client itself (its query, if
    // any, fails on its own).
    this.pool.on('error', (error) => this.logger.warn({ err: error }, 'idle warehouse connection lost'));
    this.pool.on('connect', (client) =>
      client.on('error', (error) => this.logger.warn({ err: error }, 'warehouse connection lost')),
    );
    this.breaker = new CircuitBreaker(
      { failureThreshold: config.WAREHOUSE_BREAKER_FAILURES, openMs: config.WAREHOUSE_BREAKER_OPEN_MS },
      { onChange: (state) => this.logger.warn({ state }, `warehouse breaker ${state}`) },
    );
    this.durations = metrics.histogram(
      'warehouse_query_duration_seconds',
      'Warehouse aggregate queries.',
      ['outcome'],
      [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    );
    this.outcomes = metrics.counter('warehouse_queries_total', 'Warehouse aggregate queries by outcome.', ['outcome']);
  }

  get retryAfterS(): number {
    return Math.ceil(this.config.WAREHOUSE_BREAKER_OPEN_MS / 1000);
  }

  async aggregate(query: DataQuery, fingerprint: string, page: Keyset): Promise<AggregateAnswer> {
    if (!this.breaker.allow()) {
      this.outcomes.inc({ outcome: 'breaker_open' });
      throw new WarehouseUnavailable('breaker-open', this.retryAfterS);
    }
    await this.acquireSlot();
    const started = performance.now();
    try {
      const sql = buildAggregate(query, fingerprint, page);
      const result = await this.pool.query<Record<string, string>>(sql.text, sql.values);
      const ms = performance.now() - started;
      this.breaker.success();
      this.durations.observe({ outcome: 'ok' }, ms / 1000);
      this.outcomes.inc({ outcome: 'ok' });
      return { rows: toAggregateRows(query.groupBy, result.rows), ms };
    } catch (error) {
      this.durations.observe({ outcome: 'error' }, (performance.now() - started) / 1000);
      if (!isUnavailability(error)) {
        this.outcomes.inc({ outcome: 'error' });
        throw error;
      }
      this.breaker.failure();
      this.outcomes.inc({ outcome: 'unavailable' });
      throw new WarehouseUnavailable(isTimeout(error) ? 'timeout' : 'error', this.retryAfterS, error);
    } finally {
      this.releaseSlot();
    }
  }

  private acquireSlot(): Promise<void> {
    if (this.active < this.config.WAREHOUSE_POOL_SIZE) {
      this.active += 1;
      return Promise.resolve();
    }
    if (this.queue.length >= this.config.WAREHOUSE_QUEUE_LIMIT) {
      this.outcomes.inc({ outcome: 'saturated' });
      return Promise.reject(new WarehouseUnavailable('saturated', 1));
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        clearTimeout(timer);
        this.active += 1;
        resolve();
      };
      // A wait in the bulkhead's queue, not a promise timeout: on expiry the waiter also leaves the queue.
      const timer = setTimeout(() => {
        const i = this.queue.indexOf(grant);
        if (i >= 0) this.queue.splice(i, 1);
        this.outcomes.inc({ outcome: 'saturated' });
        // eslint-disable-next-line no-restricted-syntax
        reject(new WarehouseUnavailable('saturated', 1));
      }, this.config.WAREHOUSE_QUEUE_TIMEOUT_MS);
      this.queue.push(grant);
    });
  }

  private releaseSlot(): void {
    this.active -= 1;
    this.queue.shift()?.();
  }

  async onApplicationShutdown(): Promise<void> {
    await bestEffort(this.pool.end(), 'warehouse.pool.end');
  }
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown (terminated)
  '57P02',
  '57P03', // cannot_connect_now
  '55000', // object_not_in_prerequisite_state: "database does not allow connections"
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08006',
  '57014', // query_canceled (statement timeout)
]);

function isTimeout(error: unknown): boolean {
  return (error as { code?: string }).code === '57014';
}

function isUnavailability(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  if (e.code && UNAVAILABLE_CODES.has(e.code)) return true;
  return /timeout|terminat|Connection|does not allow connections/i.test(e.message ?? '');
}
