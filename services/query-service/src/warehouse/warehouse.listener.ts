import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { bestEffort, CONFIG, type Logger, LOGGER, Metrics, sql } from '@casebook/platform';
import { Client, type Notification } from 'pg';
import type { QueryConfig } from '../config';
import { type DataChange, DataVersions } from './data-versions';

export const CHANNEL = 'warehouse_changed';
const JOURNAL_ROWS = 5_000;

/**
 * Q12.4: one dedicated connection per instance that LISTENs to `warehouse_changed` (sent by the fact
 * table's trigger, whoever changed it). It reconnects with backoff after Postgres restarts or drops it,
 * and on every (re)connect it LISTENs first and then re-reads the versions and the change journal, so a
 * notification missed while disconnected is still applied. No polling.
 */
@Injectable()
export class WarehouseListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private client: Client | null = null;
  private stopped = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly reconnects;
  private readonly notifications;
  connected = false;

  constructor(
    @Inject(CONFIG) private readonly config: QueryConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly versions: DataVersions,
    metrics: Metrics,
  ) {
    this.reconnects = metrics.counter('warehouse_listener_reconnects_total', 'LISTEN connection re-established.');
    this.notifications = metrics.counter('warehouse_notifications_total', 'Change notifications received.');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.client) await bestEffort(this.client.end(), 'warehouse.listener.end');
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.config.WAREHOUSE_URL ?? this.config.DATABASE_URL,
      application_name: 'casebook-query-listener',
      connectionTimeoutMillis: 3_000,
      keepAlive: true,
    });
    let lost = false;
    const onLost = (error?: Error): void => {
      if (lost) return;
      lost = true;
      this.connected = false;
      if (this.client === client) this.client = null;
      if (!this.stopped) {
        this.logger.warn({ err: error }, 'warehouse LISTEN connection lost; reconnecting');
        this.scheduleReconnect();
      }
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => this.onNotification(message));
    try {
      await client.connect();
      await client.query(sql`LISTEN ${sql.ident(CHANNEL)}`);
      await this.resync(client);
      this.client = client;
      this.connected = true;
      if (this.attempt > 0) this.reconnects.inc();
      this.attempt = 0;
    } catch (error) {
      await bestEffort(client.end(), 'warehouse.listener.end');
      onLost(error as Error);
    }
  }

  private scheduleReconnect(): void {
    clearTimeout(this.timer);
    const delay = Math.min(5_000, 100 * 2 ** this.attempt);
    this.attempt += 1;
    this.timer = setTimeout(() => void this.connect(), delay);
    this.timer.unref();
  }

  private async resync(client: Client): Promise<void> {
    const datasets = await client.query<{ name: string; version: number }>(
      sql`SELECT name, data_version::int AS version FROM warehouse.datasets`,
    );
    for (const { name, version } of datasets.rows) {
      const changes = await client.query<{
        version: number;
        from: Date | null;
        to: Date | null;
      }>(sql`SELECT data_version::int AS version, changed_from AS "from", changed_to AS "to"
           FROM warehouse.data_changes WHERE dataset = ${name} ORDER BY data_version DESC LIMIT ${JOURNAL_ROWS}`);
      const journal: DataChange[] = changes.rows.map((c) => ({
        version: c.version,
        from: c.from ? c.from.getTime() : null,
        to: c.to ? c.to.getTime() : null,
      }));
      this.versions.replace(name, version, journal, changes.rows.length < JOURNAL_ROWS);
    }
  }

  private onNotification(message: Notification): void {
    if (message.channel !== CHANNEL || !message.payload) return;
    try {
      const payload = JSON.parse(message.payload) as {
        dataset: string;
        version: number;
        from: string | null;
        to: string | null;
      };
      this.notifications.inc();
      this.versions.apply(payload.dataset, {
        version: Number(payload.version),
        from: payload.from ? Date.parse(payload.from) : null,
        to: payload.to ? Date.parse(payload.to) : null,
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'unreadable warehouse notification ignored');
    }
  }
}
