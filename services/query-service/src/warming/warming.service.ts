import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Logger, LOGGER } from '@casebook/platform';
import type { QueryConfig } from '../config';
import { QueriesService } from '../queries/queries.service';
import { QueryFrequency } from './query-frequency';

export interface WarmReport {
  dataset: string;
  considered: number;
  /** Entries that had to be recomputed (outdated by the load, or gone). */
  recomputed: number;
  /** Entries the load did not touch (their range was not in it): nothing to do. */
  alreadyFresh: number;
  failed: number;
  /** Candidates left out because the warehouse-time budget ran out. */
  skipped: number;
  spentMs: number;
}

/**
 * Q15: after a load, recompute the questions people will ask next — the top N by decayed frequency ×
 * cost — before they ask. Each goes through the normal cache path (lease, versions), so a user asking at
 * the same moment shares the one computation, and entries the load did not touch cost nothing. A budget
 * on warehouse time bounds the run (Q15.3: the most valuable first, then stop).
 */
@Injectable()
export class WarmingService {
  constructor(
    private readonly frequency: QueryFrequency,
    private readonly queries: QueriesService,
    @Inject(CONFIG) private readonly config: QueryConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async warm(
    dataset: string,
    topN = this.config.WARMING_TOP_N,
    budgetMs = this.config.WARMING_BUDGET_MS,
  ): Promise<WarmReport> {
    const candidates = await this.frequency.top(dataset, topN);
    const report: WarmReport = {
      dataset,
      considered: candidates.length,
      recomputed: 0,
      alreadyFresh: 0,
      failed: 0,
      skipped: 0,
      spentMs: 0,
    };
    const started = performance.now();
    for (const candidate of candidates) {
      if (performance.now() - started >= budgetMs) {
        report.skipped += 1;
        continue;
      }
      try {
        const result = await this.queries.warm(candidate.descriptor.data, candidate.descriptor.scope);
        if (result.outcome === 'hit') report.alreadyFresh += 1;
        else report.recomputed += 1;
      } catch (error) {
        report.failed += 1;
        this.logger.warn({ err: error, key: candidate.key }, 'warming one entry failed');
      }
    }
    report.spentMs = Math.round(performance.now() - started);
    this.logger.info({ warming: report }, 'cache warmed');
    return report;
  }
}
