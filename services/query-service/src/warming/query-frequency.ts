import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { bestEffort, CONFIG, type Logger, LOGGER } from '@casebook/platform';
import Redis from 'ioredis';
import type { QueryConfig } from '../config';
import type { DataQuery } from '../questions/canonical-query';
import type { AccessScope } from '../queries/query-key';

/** Enough to recompute an answer without the original request. */
export interface WarmDescriptor {
  data: DataQuery;
  scope: AccessScope;
}

export interface WarmCandidate {
  key: string;
  frequency: number;
  costMs: number;
  descriptor: WarmDescriptor;
}

const HOUR = 3_600_000;
// How many half-lives of hourly buckets the ranking looks at; older counts weigh < 1/256.
const HALF_LIVES_KEPT = 8;
const MAX_TRACKED = 10_000;

/**
 * Q15.1: which questions are asked most, recently. Each request adds 1 to its key in the current hour's
 * sorted set (one ZINCRBY); ranking sums the hourly sets with weights 2^(-age/half-life) (ZUNIONSTORE),
 * an exponentially decayed frequency with no rescaling and nothing to clean but expiring buckets. All
 * keys share one hash tag, so the union works on Redis Cluster. Never on the answer's critical path.
 */
@Injectable()
export class QueryFrequency implements OnModuleDestroy {
  /** Counts not yet in Redis, by dataset, key and hour: a hot key costs one ZINCRBY per second, not per request. */
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(Redis) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: QueryConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleDestroy(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.flush();
  }

  private bucketKey(dataset: string, hour: number): string {
    return `warm:{${dataset}}:f:${hour}`;
  }

  private get bucketCount(): number {
    return Math.max(1, Math.ceil((HALF_LIVES_KEPT * this.config.WARMING_HALF_LIFE_MS) / HOUR));
  }

  /** Fire-and-forget: a request never waits for this; counts reach Redis within a second. */
  record(dataset: string, key: string, now = Date.now()): void {
    const id = `${this.bucketKey(dataset, Math.floor(now / HOUR))}\u0000${key}`;
    this.pending.set(id, (this.pending.get(id) ?? 0) + 1);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, 1_000).unref();
  }

  /** Adds the pending counts in one pipeline (also called before ranking, so nothing is left out). */
  async flush(): Promise<void> {
    if (this.pending.size === 0 || this.redis.status !== 'ready') return;
    const counts = this.pending;
    this.pending = new Map();
    const pipeline = this.redis.pipeline();
    const buckets = new Set<string>();
    for (const [id, n] of counts) {
      const [bucket, key] = id.split('\u0000') as [string, string];
      pipeline.zincrby(bucket, n, key);
      buckets.add(bucket);
    }
    for (const bucket of buckets) pipeline.pexpire(bucket, this.bucketCount * HOUR);
    await bestEffort(pipeline.exec(), 'warming.frequency.record');
  }

  /** What it takes to recompute a key, and what computing it cost (Q15.3 weighs by cost). */
  describe(dataset: string, key: string, descriptor: WarmDescriptor, costMs: number): void {
    if (this.redis.status !== 'ready') return;
    void bestEffort(
      this.redis
        .multi()
        .hset(`warm:{${dataset}}:q`, key, JSON.stringify(descriptor))
        .hset(`warm:{${dataset}}:c`, key, String(Math.round(costMs)))
        .exec(),
      'warming.frequency.describe',
    );
  }

  /**
   * Q15.3: the top `n` by frequency × cost — the warehouse time warming saves — among the most frequent
   * keys. Also forgets descriptors of keys that fell out of the tracked set, so the hashes stay bounded.
   */
  async top(dataset: string, n: number, now = Date.now()): Promise<WarmCandidate[]> {
    await this.flush();
    const current = Math.floor(now / HOUR);
    const hours = Array.from({ length: this.bucketCount }, (_, i) => current - i);
    const union = `warm:{${dataset}}:rank`;
    const weights = hours.map((h) => 2 ** (-((current - h) * HOUR) / this.config.WARMING_HALF_LIFE_MS));
    await this.redis.zunionstore(
      union,
      hours.length,
      ...hours.map((h) => this.bucketKey(dataset, h)),
      'WEIGHTS',
      ...weights,
    );
    await this.redis.pexpire(union, 60_000);
    const ranked = await this.redis.zrevrange(union, 0, Math.max(0, n * 4 - 1), 'WITHSCORES');
    const dropped = await this.redis.zrange(union, 0, -(MAX_TRACKED + 1));
    if (dropped.length > 0) {
      await this.redis.hdel(`warm:{${dataset}}:q`, ...dropped);
      await this.redis.hdel(`warm:{${dataset}}:c`, ...dropped);
    }
    const keys: string[] = [];
    const frequency = new Map<string, number>();
    for (let i = 0; i < ranked.length; i += 2) {
      keys.push(ranked[i]!);
      frequency.set(ranked[i]!, Number(ranked[i + 1]));
    }
    if (keys.length === 0) return [];
    const [descriptors, costs] = await Promise.all([
      this.redis.hmget(`warm:{${dataset}}:q`, ...keys),
      this.redis.hmget(`warm:{${dataset}}:c`, ...keys),
    ]);
    const candidates: WarmCandidate[] = [];
    keys.forEach((key, i) => {
      const raw = descriptors[i];
      if (!raw) return;
      try {
        candidates.push({
          key,
          frequency: frequency.get(key)!,
          costMs: Math.max(1, Number(costs[i] ?? 1)),
          descriptor: JSON.parse(raw) as WarmDescriptor,
        });
      } catch (error) {
        this.logger.warn({ err: error, key }, 'unreadable warming descriptor skipped');
      }
    });
    return candidates.sort((a, b) => b.frequency * b.costMs - a.frequency * a.costMs).slice(0, n);
  }
}
