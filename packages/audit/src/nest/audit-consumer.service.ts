import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { bestEffort, LOGGER, type Logger, Metrics } from '@casebook/platform';
import type { AuditSigningKey } from '../checkpoints/signing-key';
import { CheckpointStore } from '../checkpoints/checkpoint-store';
import type { AuditConfig } from '../config';
import { OutboxRelay } from '../consumer/outbox-relay';
import { checkRedisDurability } from '../consumer/redis-durability';
import { StreamConsumer } from '../consumer/stream-consumer';
import type { AuditDb } from '../db/db';
import { ChainWriter } from '../store/chain-writer';
import { pruneEventIds } from '../store/event-ids';
import { AUDIT_CONFIG, AUDIT_DB, AUDIT_SIGNING_KEY } from './tokens';

const DAY_MS = 86_400_000;

/**
 * The background half of the audit log, for the worker process: the stream consumer, the outbox relay,
 * periodic signed checkpoints and pruning of remembered event ids. Started after boot, stopped on
 * shutdown; nothing runs in the constructor.
 */
@Injectable()
export class AuditConsumerService implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer: StreamConsumer | null = null;
  private relay: OutboxRelay | null = null;
  private timers: NodeJS.Timeout[] = [];
  readonly consumerName = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

  constructor(
    @Inject(AUDIT_CONFIG) private readonly config: AuditConfig,
    @Inject(AUDIT_DB) private readonly db: AuditDb,
    @Inject(AUDIT_SIGNING_KEY) private readonly signingKey: AuditSigningKey,
    @Inject(Redis) private readonly redis: Redis | null,
    private readonly writer: ChainWriter,
    private readonly checkpoints: CheckpointStore,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.checkpoints.registerKey(this.signingKey);
    const checkpointsSigned = this.metrics.counter('audit_checkpoints_total', 'Signed audit checkpoints written.');
    this.relay = new OutboxRelay({
      writer: this.writer,
      batchSize: this.config.AUDIT_BATCH_SIZE,
      pollMs: this.config.AUDIT_OUTBOX_POLL_MS,
      logger: this.logger,
      metrics: this.metrics,
    });
    this.relay.start();
    if (this.redis) {
      const redis = this.redis;
      const checkDurability = () =>
        void checkRedisDurability(redis).then(({ problems }) => {
          for (const problem of problems) this.logger.warn({ problem }, 'audit stream durability');
        });
      if (redis.status === 'ready') checkDurability();
      else redis.once('ready', checkDurability);
      // Its own connection, since XREADGROUP blocks it; connected by the consumer loop, which retries while
      // Redis is away instead of failing the boot.
      const connection = redis.duplicate({ lazyConnect: true, connectionName: 'audit-consumer' });
      this.consumer = new StreamConsumer({
        redis: connection,
        streamKey: this.config.AUDIT_STREAM_KEY,
        group: this.config.AUDIT_CONSUMER_GROUP,
        consumerName: this.consumerName,
        writer: this.writer,
        batchSize: this.config.AUDIT_BATCH_SIZE,
        blockMs: this.config.AUDIT_BLOCK_MS,
        claimIdleMs: this.config.AUDIT_CLAIM_IDLE_MS,
        logger: this.logger,
        metrics: this.metrics,
      });
      await this.consumer.start();
    }
    this.every(this.config.AUDIT_CHECKPOINT_INTERVAL_MS, async () => {
      if (await this.checkpoints.checkpointHead(this.signingKey)) checkpointsSigned.inc();
    });
    this.every(DAY_MS / 24, () => this.pruneEventIds());
    this.logger.info({ consumer: this.consumerName }, 'audit consumer started');
  }

  /** First of the shutdown hooks, so Postgres and Redis (closed by PlatformModule later) are still there. */
  async onModuleDestroy(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all([this.consumer?.stop(), this.relay?.stop()]);
    // A last checkpoint, so a clean shutdown leaves no unsigned tail.
    await bestEffort(this.checkpoints.checkpointHead(this.signingKey), 'audit.checkpoint.shutdown');
  }

  /** Ids older than any redelivery (the stream is drained in seconds; retention is weeks) are forgotten. */
  private async pruneEventIds(): Promise<void> {
    await pruneEventIds(this.db, this.config.AUDIT_DEDUPE_RETENTION_DAYS);
  }

  private every(intervalMs: number, task: () => Promise<void>): void {
    const timer = setInterval(() => {
      task().catch((error: unknown) => this.logger.error({ err: error }, 'audit background task failed'));
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }
}
