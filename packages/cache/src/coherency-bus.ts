import { bestEffort, withDeadline } from '@casebook/platform';
import type { RedisClient, RedisTier } from './redis-tier';

const SUBSCRIBE_WAIT_MS = 2_000;

export type BusMessage =
  | { o: string; t: 'fill'; k: string }
  | { o: string; t: 'del'; k: string }
  | { o: string; t: 'tag'; g: string; at: number };

export interface BusHandlers {
  onMessage(message: BusMessage): void;
  /** The subscription was re-established: messages may have been missed meanwhile. */
  onResync(): void;
}

/**
 * Q19.4: L1 coherency across instances. Every instance publishes what it changed (a key filled or
 * deleted, a tag invalidated) on one Redis channel and drops or updates its L1 on what others publish.
 * Pub/sub is fire-and-forget: a message missed during a disconnect is covered by the L1 TTL, and on
 * reconnect the instance clears its L1 instead of trusting it.
 */
export class CoherencyBus {
  private started = false;
  private connectedOnce = false;

  constructor(
    private readonly subscriber: RedisClient,
    private readonly publisher: RedisTier,
    readonly channel: string,
    readonly instanceId: string,
    private readonly handlers: BusHandlers,
  ) {}

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // Connection errors are expected during outages; ioredis reconnects by itself.
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('messageBuffer', (channel: Buffer, payload: Buffer) => {
      if (channel.toString() !== this.channel) return;
      let message: BusMessage;
      try {
        message = JSON.parse(payload.toString('utf8')) as BusMessage;
      } catch {
        return;
      }
      if (message.o !== this.instanceId) this.handlers.onMessage(message);
    });
    this.subscriber.on('ready', () => {
      if (this.connectedOnce) this.handlers.onResync();
      this.connectedOnce = true;
    });
    // ioredis re-subscribes by itself after a reconnect (autoResubscribe). When Redis is away at boot the
    // SUBSCRIBE waits in the subscriber's queue; boot does not wait for it longer than a moment.
    const subscribed = await bestEffort(
      withDeadline(this.subscriber.subscribe(this.channel), SUBSCRIBE_WAIT_MS, 'cache bus subscribe'),
      'cache.bus.subscribe',
      null,
    );
    if (subscribed !== null) this.connectedOnce = true;
  }

  publish(message: BusMessage extends infer M ? (M extends BusMessage ? Omit<M, 'o'> : never) : never): void {
    if (!this.publisher.usable) return;
    const payload = JSON.stringify({ ...message, o: this.instanceId });
    void bestEffort(
      this.publisher.call('publish', (r) => r.publish(this.channel, payload)),
      'cache.bus.publish',
    );
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.subscriber.removeAllListeners('messageBuffer');
    this.subscriber.disconnect();
  }
}
