import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { bestEffort, LOGGER, type Logger } from '@casebook/platform';
import Redis from 'ioredis';

const INTERVAL_MS = 5_000;

/**
 * The worker has no HTTP server, so it announces itself in Redis: `worker:heartbeat:<host>:<pid>`
 * expires three intervals after the last beat. `pnpm start` and operators read it to see workers alive.
 */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  readonly key = `worker:heartbeat:${hostname()}:${process.pid}`;

  constructor(
    private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await bestEffort(this.redis.del(this.key), 'worker.heartbeat.del');
  }

  private async beat(): Promise<void> {
    try {
      await this.redis.set(this.key, new Date().toISOString(), 'PX', INTERVAL_MS * 3);
    } catch (error) {
      this.logger.warn({ err: error }, 'heartbeat not written; Redis unavailable');
    }
  }
}
