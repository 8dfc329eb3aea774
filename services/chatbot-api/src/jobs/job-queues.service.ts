import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { bestEffort, BullConnections, CONFIG, LOGGER, type Logger, Metrics, withDeadline } from '@casebook/platform';
import { type JobsOptions, Queue } from 'bullmq';
import Redis from 'ioredis';
import type { ChatbotConfig } from '../config';
import type { Lane } from '../messages/message-types';
import { ANSWER_QUEUES, type AnswerJob, bullPrefix, ERASURE_QUEUE, type ErasureJob } from './queues';
import { currentTrace } from './trace';

const ENQUEUE_BUDGET_MS = 1_000;

/**
 * Producer side of the queues (API process). Postgres holds the truth — a reply row exists before its
 * job — so a failed enqueue loses nothing: the worker's sweeper finds queued replies without a job.
 */
@Injectable()
export class JobQueues implements OnModuleInit, OnApplicationShutdown {
  private readonly bull: BullConnections;
  private answers!: Record<Lane, Queue>;
  private erasure!: Queue;
  private readonly redis: Redis;

  constructor(
    @Inject(CONFIG) private readonly config: ChatbotConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    redis: Redis,
    metrics: Metrics,
  ) {
    this.redis = redis;
    this.bull = new BullConnections({
      url: config.REDIS_URL,
      connectionName: 'chatbot-producer',
      prefix: bullPrefix(config.REDIS_KEY_PREFIX),
    });
    // Q9.3: the autoscaling signals, read at scrape time from the API's /metrics (the worker has no HTTP).
    metrics.gauge('chatbot_queue_waiting', 'Answer jobs waiting per lane.', ['lane'], async (gauge) => {
      for (const [lane, queue] of Object.entries(this.answers ?? {})) {
        const counts = await bestEffort(
          queue.getJobCounts('waiting', 'prioritized', 'delayed'),
          'queue.metrics.counts',
          null,
        );
        if (counts) gauge.set({ lane }, (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0));
      }
    });
    metrics.gauge(
      'chatbot_queue_oldest_seconds',
      'Age of the oldest waiting answer job per lane.',
      ['lane'],
      async (gauge) => {
        for (const [lane, queue] of Object.entries(this.answers ?? {})) {
          const [oldest] = await bestEffort(
            queue.getJobs(['waiting', 'prioritized'], 0, 0, true),
            'queue.metrics.oldest',
            [],
          );
          gauge.set({ lane }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
        }
      },
    );
  }

  onModuleInit(): void {
    // BullMQ sends INFO while the socket is still connecting, so commands may queue briefly; each enqueue has
    // its own time budget instead (a slow Redis must not hold up a 202).
    this.answers = {
      short: new Queue(ANSWER_QUEUES.short, this.bull.producer()),
      long: new Queue(ANSWER_QUEUES.long, this.bull.producer()),
    };
    this.erasure = new Queue(ERASURE_QUEUE, this.bull.producer());
    // A queue reports connection trouble as events; without a listener Node would treat them as crashes.
    // Enqueue failures are handled where they happen (the sweeper requeues), so a log line is enough.
    for (const queue of [this.answers.short, this.answers.long, this.erasure]) {
      queue.on('error', (error) => this.logger.warn({ err: error, queue: queue.name }, 'queue connection error'));
    }
  }

  private jobOptions(jobId: string, priority?: number): JobsOptions {
    return {
      jobId,
      attempts: this.config.QUEUE_ATTEMPTS,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { age: 3_600, count: 10_000 },
      removeOnFail: { age: 7 * 86_400 },
      ...(priority ? { priority } : {}),
    };
  }

  /**
   * Q4.1: fair share between users. Each user's pending answers count up; a job's priority is that count,
   * so someone with 50 questions in the lane waits behind someone asking their first.
   */
  async enqueueAnswer(lane: Lane, job: Omit<AnswerJob, 'trace'>): Promise<boolean> {
    try {
      const pending = await this.redis.incr(`answers:pending:{${job.ownerId}}`);
      await this.redis.expire(`answers:pending:{${job.ownerId}}`, 3_600);
      await withDeadline(
        this.answers[lane].add(
          'answer',
          { ...job, trace: currentTrace() },
          this.jobOptions(job.replyId, Math.min(pending, 2_000_000)),
        ),
        ENQUEUE_BUDGET_MS,
        'answer enqueue',
      );
      return true;
    } catch (error) {
      this.logger.warn({ err: error, replyId: job.replyId }, 'answer not enqueued now; the sweeper will requeue it');
      return false;
    }
  }

  async enqueueErasure(job: Omit<ErasureJob, 'trace'>): Promise<boolean> {
    try {
      await withDeadline(
        this.erasure.add('erase', { ...job, trace: currentTrace() }, this.jobOptions(job.requestId)),
        ENQUEUE_BUDGET_MS,
        'erasure enqueue',
      );
      return true;
    } catch (error) {
      this.logger.warn(
        { err: error, requestId: job.requestId },
        'erasure not enqueued now; the sweeper will requeue it',
      );
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const queues = this.answers ? [this.answers.short, this.answers.long, this.erasure] : [];
    // A queue closed while it still connects leaves its connection check pending; disconnecting then
    // would surface that check as an unhandled error. Give them a moment to be ready first.
    await bestEffort(
      withDeadline(Promise.all(queues.map((queue) => queue.waitUntilReady())), 1_000, 'answer queues'),
      'queue.shutdown.ready',
    );
    await Promise.allSettled(queues.map((queue) => queue.close()));
    this.bull.disconnect();
  }
}
