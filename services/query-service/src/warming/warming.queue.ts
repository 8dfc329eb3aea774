import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { bestEffort, BullConnections, CONFIG, type Logger, LOGGER, withDeadline } from '@casebook/platform';
import { type Job, Queue, Worker } from 'bullmq';
import type { QueryConfig } from '../config';
import { DataVersions } from '../warehouse/data-versions';
import { type WarmReport, WarmingService } from './warming.service';

export const WARMING_QUEUE = 'query-warming';

interface WarmJob {
  dataset: string;
  /** The data version that triggered the run; a newer one makes this run pointless. */
  version?: number;
  topN?: number;
}

/**
 * BullMQ wiring of warming: a load's NOTIFY reaches every instance, and every instance adds the same job
 * id (`after-load-<dataset>-<version>`), so the fleet runs each warming once. One worker per instance,
 * concurrency 1. A burst of loads (a multi-chunk seed) is settled by a short delay and by skipping jobs
 * whose version is no longer the latest.
 */
@Injectable()
export class WarmingQueue implements OnModuleInit, OnApplicationShutdown {
  private queue: Queue<WarmJob, WarmReport> | null = null;
  private worker: Worker<WarmJob, WarmReport> | null = null;
  private readonly bull: BullConnections;
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: QueryConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly versions: DataVersions,
    private readonly warming: WarmingService,
  ) {
    // The hash tag keeps a queue's keys in one Redis Cluster slot.
    this.bull = new BullConnections({
      url: config.REDIS_URL,
      connectionName: 'query-warming',
      prefix: `${config.REDIS_KEY_PREFIX}{bull}`,
    });
  }

  async onModuleInit(): Promise<void> {
    if (!this.config.WARMING_ENABLED) return;
    // The queue's connection retries like the worker's; each enqueue has its own budget (`add`).
    this.queue = new Queue<WarmJob, WarmReport>(WARMING_QUEUE, this.bull.blocking());
    this.queue.on('error', (error) => this.logger.warn({ err: error }, 'warming queue error'));
    this.worker = new Worker<WarmJob, WarmReport>(WARMING_QUEUE, (job) => this.run(job), {
      ...this.bull.blocking(),
      concurrency: 1,
    });
    this.worker.on('error', (error) => this.logger.warn({ err: error }, 'warming worker error'));
    this.worker.on('failed', (job, error) => this.logger.warn({ err: error, jobId: job?.id }, 'warming job failed'));
    this.unsubscribe = this.versions.onAdvance((dataset, version) => void this.afterLoad(dataset, version));
  }

  private async run(job: Job<WarmJob, WarmReport>): Promise<WarmReport> {
    const { dataset, version, topN } = job.data;
    if (version !== undefined && this.versions.versionOf(dataset) > version) {
      return { dataset, considered: 0, recomputed: 0, alreadyFresh: 0, failed: 0, skipped: 0, spentMs: 0 };
    }
    return this.warming.warm(dataset, topN);
  }

  private async afterLoad(dataset: string, version: number): Promise<void> {
    if (!this.queue || this.config.WARMING_TOP_N === 0) return;
    await this.add({ dataset, version }, `after-load-${dataset}-${version}`, 1_000);
  }

  /** Admin: warm the top N now. Returns the job id to poll. */
  async enqueue(dataset: string, topN: number): Promise<string> {
    if (!this.queue) throw new Error('warming is disabled');
    const id = `manual-${randomUUID()}`;
    await this.add({ dataset, topN }, id, 0);
    return id;
  }

  async status(id: string): Promise<{ id: string; state: string; result: WarmReport | null } | null> {
    if (!this.queue) return null;
    // State first, then the job: a job read before it completed and asked for its state after would say
    // "completed" with no result. The result is written in the same step that completes the job.
    const state = await this.queue.getJobState(id);
    if (state === 'unknown') return null;
    const job = await this.queue.getJob(id);
    if (!job) return null;
    return { id, state, result: job.returnvalue ?? null };
  }

  private async add(data: WarmJob, jobId: string, delay: number): Promise<void> {
    try {
      await withDeadline(
        this.queue!.add('warm', data, { jobId, delay, removeOnComplete: 1_000, removeOnFail: 1_000 }),
        2_000,
        'warming enqueue',
      );
    } catch (error) {
      this.logger.warn({ err: error, jobId }, 'warming job not enqueued');
      if (delay === 0) throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    // Active jobs get a few seconds to finish; then the worker is closed without waiting for them.
    await bestEffort(
      withDeadline(Promise.allSettled([this.worker?.close(), this.queue?.close()]), 5_000, 'warming drain'),
      'warming.drain',
    );
    if (this.worker) await bestEffort(this.worker.close(true), 'warming.worker.close');
    this.bull.disconnect();
  }
}
