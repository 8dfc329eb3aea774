import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { shippedSnapshot, SnapshotHolder } from '@casebook/moderation';
import { bestEffort, CONFIG, type Logger, LOGGER } from '@casebook/platform';
import Redis from 'ioredis';
import type { ModerationConfig } from '../config';
import { compilePolicy } from './compile';
import { RuleSetsRepository } from './rule-sets.repository';

/** Where a publish is announced; every instance refreshes on it. */
export const PUBLISHED_CHANNEL = 'moderation:rule-sets:published';

/**
 * Q24.3: the snapshots this instance serves. It starts on the active version (the shipped rule sets
 * when none was published), swaps atomically when a publish is announced on Redis, and reads the
 * active version every `MODERATION_RULES_POLL_MS` as a fallback, so a missed announcement costs at
 * most one poll interval. A request keeps the snapshot it started with (`SnapshotHolder`).
 */
@Injectable()
export class LiveSnapshots implements OnModuleInit, OnModuleDestroy {
  readonly holder: SnapshotHolder;
  private subscriber: Redis | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> = Promise.resolve();

  constructor(
    private readonly versions: RuleSetsRepository,
    private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: ModerationConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.holder = new SnapshotHolder(shippedSnapshot());
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
    // Its own connection (a subscriber can do nothing else), queueing the SUBSCRIBE until it connects,
    // and subscribing again after a reconnect; announcements missed while down are covered by the poll.
    this.subscriber = this.redis.duplicate({ enableOfflineQueue: true, lazyConnect: false });
    this.subscriber.on('message', () => void bestEffort(this.refresh(), 'rule-sets.refresh'));
    // Not awaited: with Redis down the SUBSCRIBE waits for the connection, and the service starts anyway.
    void bestEffort(this.subscriber.subscribe(PUBLISHED_CHANNEL), 'rule-sets.subscribe');
    this.timer = setInterval(
      () => void bestEffort(this.refresh(), 'rule-sets.poll'),
      this.config.MODERATION_RULES_POLL_MS,
    );
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.subscriber?.disconnect();
    await this.refreshing;
  }

  /** Tells every instance (this one included) that a version was published. */
  async announce(sequence: string): Promise<void> {
    await bestEffort(this.redis.publish(PUBLISHED_CHANNEL, sequence), 'rule-sets.announce');
    await this.refresh();
  }

  /** Reads the live versions and swaps when the active publish is newer than the one served. */
  refresh(): Promise<void> {
    // One refresh at a time: an announcement and a poll arriving together compile once.
    this.refreshing = this.refreshing.then(() => this.load());
    return this.refreshing;
  }

  private async load(): Promise<void> {
    const { active, shadow } = await this.versions.live();
    if (!active?.publishedSeq) return;
    // Every publish, active or shadow, takes the next number, so the highest one says what is newest.
    const sequence = Math.max(Number(active.publishedSeq), Number(shadow?.publishedSeq ?? 0));
    if (sequence <= this.holder.publishedSequence) return;
    const next = compilePolicy(active.definitions, active.version);
    const shadowSnapshot = shadow ? compilePolicy(shadow.definitions, shadow.version) : undefined;
    if (this.holder.swap(next, sequence, shadowSnapshot)) {
      this.logger.info({ version: active.version, shadow: shadow?.version }, 'moderation rule sets swapped');
    }
  }
}
