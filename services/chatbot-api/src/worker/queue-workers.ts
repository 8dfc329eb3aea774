import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AuthzState } from '@casebook/auth';
import { bestEffort, BullConnections, CONFIG, LOGGER, type Logger } from '@casebook/platform';
import { type Job, Queue, Worker } from 'bullmq';
import type { ChatbotConfig } from '../config';
import { ErasureService } from '../erasure/erasure.service';
import { AnswerProcessor } from '../jobs/answer.processor';
import { Maintenance } from '../jobs/maintenance';
import {
  ANSWER_QUEUES,
  type AnswerJob,
  bullPrefix,
  ERASURE_QUEUE,
  type ErasureJob,
  MAINTENANCE_QUEUE,
} from '../jobs/queues';
import { withJobSpan } from '../jobs/trace';

/**
 * The worker's consumers, wired in one place (STYLE.md §9): one BullMQ worker per lane with its own
 * concurrency (Q4.1), the erasure queue, and scheduled maintenance. Started after boot, drained on
 * shutdown: active jobs finish, stalled ones are picked up by another worker.
 */
@Injectable()
export class QueueWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly workers: Worker[] = [];
  private readonly bull: BullConnections;
  private scheduler: Queue | undefined;
  private scheduleCheck: NodeJS.Timeout | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: ChatbotConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly answers: AnswerProcessor,
    private readonly erasure: ErasureService,
    private readonly maintenance: Maintenance,
    private readonly authz: AuthzState,
  ) {
    this.bull = new BullConnections({
      url: config.REDIS_URL,
      connectionName: 'chatbot-worker',
      prefix: bullPrefix(config.REDIS_KEY_PREFIX),
    });
  }

  private start<T>(queue: string, concurrency: number, handler: (job: Job<T>) => Promise<unknown>): void {
    // Workers block on Redis: each gets its own connection.
    const worker = new Worker<T>(queue, handler, {
      ...this.bull.blocking(),
      concurrency,
      // A job whose worker died is retried after this long without a lock renewal (Q4.3).
      lockDuration: this.config.QUEUE_LOCK_MS,
      stalledInterval: Math.max(500, Math.floor(this.config.QUEUE_LOCK_MS / 2)),
      maxStalledCount: 2,
    });
    worker.on('failed', (job, error) =>
      this.logger.warn({ err: error, queue, jobId: job?.id, attempt: job?.attemptsMade }, 'job failed'),
    );
    worker.on('error', (error) => this.logger.warn({ err: error, queue }, 'queue worker error'));
    this.workers.push(worker);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.start<AnswerJob>(ANSWER_QUEUES.short, this.config.QUEUE_SHORT_CONCURRENCY, (job) => this.answers.process(job));
    this.start<AnswerJob>(ANSWER_QUEUES.long, this.config.QUEUE_LONG_CONCURRENCY, (job) => this.answers.process(job));
    this.start<ErasureJob>(ERASURE_QUEUE, 1, (job) =>
      withJobSpan('erasure', job.data.trace, () => this.erasure.execute(job.data.requestId)),
    );
    this.start<Record<string, never>>(MAINTENANCE_QUEUE, 1, (job) => this.runMaintenance(job.name));

    this.scheduler = new Queue(MAINTENANCE_QUEUE, this.bull.blocking());
    this.scheduler.on('error', (error) => this.logger.warn({ err: error }, 'maintenance queue connection error'));
    await this.registerSchedules();
    // The schedules live in Redis: a wiped (or failed-over, unpersisted) Redis loses them, and with them the
    // sweeper that requeues replies whose jobs were lost too (Q8.4). Each worker checks they exist and puts
    // them back, so recovery does not wait for a worker restart.
    this.scheduleCheck = setInterval(() => {
      const scheduler = this.scheduler;
      if (!scheduler) return;
      void bestEffort(
        scheduler
          .getJobScheduler('requeue-orphans')
          .then((existing) => (existing ? undefined : this.registerSchedules())),
        'queue.schedules.check',
      );
    }, this.config.QUEUE_SCHEDULE_CHECK_SECONDS * 1_000);
    this.scheduleCheck.unref();
    await this.maintenance.ensurePartitions();
  }

  /** Job schedulers run once per interval across all worker instances, not once per instance. */
  private async registerSchedules(): Promise<void> {
    const scheduler = this.scheduler;
    if (!scheduler) return;
    await Promise.all([
      scheduler.upsertJobScheduler('requeue-orphans', { every: 15_000 }, { name: 'requeue-orphans' }),
      scheduler.upsertJobScheduler('partitions', { every: 6 * 3_600_000 }, { name: 'partitions' }),
      scheduler.upsertJobScheduler('prune', { every: 3_600_000 }, { name: 'prune' }),
    ]).then(
      () => this.logger.info('maintenance schedules registered'),
      (error: unknown) => this.logger.warn({ err: error }, 'maintenance schedules not registered; Redis unavailable'),
    );
  }

  private async runMaintenance(name: string): Promise<unknown> {
    switch (name) {
      case 'requeue-orphans':
        return this.maintenance.requeueOrphans();
      case 'partitions':
        return this.maintenance.ensurePartitions();
      case 'prune':
        return this.maintenance.prune(this.authz);
      default:
        return null;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.scheduleCheck);
    await Promise.allSettled(this.workers.map((worker) => worker.close()));
    if (this.scheduler) await bestEffort(this.scheduler.close(), 'queue.scheduler.close');
    this.bull.disconnect();
  }
}
