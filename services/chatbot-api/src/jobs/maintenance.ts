import { Inject, Injectable } from '@nestjs/common';
import { AuthzState } from '@casebook/auth';
import { CONFIG, LOGGER, type Logger } from '@casebook/platform';
import { DataSource } from 'typeorm';
import type { ChatbotConfig } from '../config';
import { everyOwnerForMaintenance } from '../conversations/owner-scope';
import { ErasureService } from '../erasure/erasure.service';
import { IdempotencyKeys } from '../idempotency/idempotency';
import { MessagesRepository } from '../messages/messages.repository';
import { JobQueues } from './job-queues.service';

/** Scheduled upkeep run by the worker: partitions ahead, orphaned work requeued, expired records pruned. */
@Injectable()
export class Maintenance {
  constructor(
    private readonly db: DataSource,
    private readonly messages: MessagesRepository,
    private readonly erasure: ErasureService,
    private readonly queues: JobQueues,
    @Inject(CONFIG) private readonly config: ChatbotConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Monthly partitions of `messages` three months ahead; returns how many were created. */
  async ensurePartitions(): Promise<number> {
    const created = await this.messages.ensurePartitions(everyOwnerForMaintenance(), 3);
    if (created > 0) this.logger.info({ created }, 'message partitions created');
    return created;
  }

  /**
   * Replies and erasures whose job never ran (the enqueue was lost with a process, or Redis was wiped)
   * go back on their queue. The job id is the reply id, so a reply that does have a job is not doubled.
   */
  async requeueOrphans(): Promise<number> {
    const replies = await this.messages.orphans(
      everyOwnerForMaintenance(),
      this.config.QUEUE_ORPHAN_AFTER_SECONDS,
      500,
    );
    for (const reply of replies)
      await this.queues.enqueueAnswer(reply.lane, { replyId: reply.id, ownerId: reply.ownerId });
    const erasures = await this.erasure.pending(this.config.QUEUE_ORPHAN_AFTER_SECONDS);
    for (const request of erasures)
      await this.queues.enqueueErasure({ requestId: request.id, subjectId: request.subjectId });
    if (replies.length + erasures.length > 0)
      this.logger.info({ replies: replies.length, erasures: erasures.length }, 'orphaned jobs requeued');
    return replies.length + erasures.length;
  }

  async prune(authz: AuthzState): Promise<void> {
    await new IdempotencyKeys(this.db).pruneExpired();
    await authz.pruneExpired();
  }
}
