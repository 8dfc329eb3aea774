import Redis from 'ioredis';

export interface BullConnectionsInit {
  url: string;
  /** Shown by `CLIENT LIST`, so an operator can tell the queue connections apart. */
  connectionName: string;
  /** BullMQ's own key prefix (it rejects ioredis' `keyPrefix`); wrap part of it in braces for one Cluster slot. */
  prefix: string;
}

/** What a BullMQ `Queue` or `Worker` takes: spread it into their options. */
export interface BullClientOptions {
  connection: Redis;
  prefix: string;
}

/**
 * The one way BullMQ clients get their Redis connections. BullMQ cannot use the service's shared client
 * (`createRedis` fails fast and has a key prefix; BullMQ blocks on its connections):
 *
 * - `producer()`: a queue that only adds jobs from a request path. One connection shared by all of them;
 *   a command fails after one retry, and each enqueue has its own budget (`withDeadline`), so a slow Redis
 *   cannot hold up a response.
 * - `blocking()`: a worker, or a queue in a worker process. A connection each, retrying forever
 *   (BullMQ's requirement for blocking commands).
 *
 * Opened when asked for (in `onModuleInit`/`onApplicationBootstrap`, not in a constructor); `disconnect()`
 * closes all of them after the queues and workers are closed.
 */
export class BullConnections {
  private readonly opened: Redis[] = [];
  private shared: Redis | undefined;

  constructor(private readonly init: BullConnectionsInit) {}

  producer(): BullClientOptions {
    this.shared ??= this.open({ maxRetriesPerRequest: 1 });
    return { connection: this.shared, prefix: this.init.prefix };
  }

  blocking(): BullClientOptions {
    return { connection: this.open({ maxRetriesPerRequest: null }), prefix: this.init.prefix };
  }

  disconnect(): void {
    for (const connection of this.opened.splice(0)) connection.disconnect();
    this.shared = undefined;
  }

  private open(options: { maxRetriesPerRequest: number | null }): Redis {
    const connection = new Redis(this.init.url, { ...options, connectionName: this.init.connectionName });
    // Queues and workers report connection trouble as their own 'error' events, which their owners log;
    // without a listener here ioredis would print every reconnect attempt as well.
    connection.on('error', () => undefined);
    this.opened.push(connection);
    return connection;
  }
}
