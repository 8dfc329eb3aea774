import { randomUUID } from 'node:crypto';
import { bestEffort, CircuitBreaker, DeadlineExceeded, type Metrics, withDeadline } from '@casebook/platform';
import type { RateLimitOptions } from '../config';
import { gcraParams, penalized } from './gcra';
import { MemoryBackend } from './memory-backend';
import { Planner } from './planner';
import { RedisBackend } from './redis-backend';
import type { RedisClient } from './scripts';
import type {
  Backend,
  CheckPlan,
  Lease,
  LevelOutcome,
  RateLimitDecision,
  RateLimitRequest,
  RateLimitSubject,
  RawOutcome,
} from './types';

/** The part of a pino logger the limiter uses. */
export interface LimiterLogger {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

export interface RateLimiterInit {
  redis: RedisClient;
  options: RateLimitOptions;
  metrics?: Metrics;
  logger?: LimiterLogger;
  /**
   * This process's clock in ms. Decisions on Redis never read it (they use Redis `TIME`); only the in-memory
   * fallback and the breaker's cooldown do. Tests inject a skewed one.
   */
  clock?: () => number;
}

type Counter = ReturnType<Metrics['counter']>;
type Histogram = ReturnType<Metrics['histogram']>;

interface LimiterMetrics {
  decisions: Counter;
  rejections: Counter;
  switches: Counter;
  failures: Counter;
  duration: Histogram;
  /** Label objects reused per combination: the hot path allocates none. */
  labels: Map<string, Record<string, string>>;
}

function registerMetrics(metrics: Metrics): LimiterMetrics {
  return {
    decisions: metrics.counter(
      'rate_limit_decisions_total',
      'Rate-limit decisions by route policy, decision (allowed, rejected) and backend (redis, memory).',
      ['route', 'decision', 'backend'],
    ),
    // An admitted request passed every level; per level only the refusals need counting.
    rejections: metrics.counter(
      'rate_limit_level_rejections_total',
      'Rate-limit refusals by the level that refused (user, ip, role, global, concurrency).',
      ['level'],
    ),
    switches: metrics.counter(
      'rate_limit_backend_switches_total',
      'Rate limiter switches between Redis and the in-memory fallback.',
      ['to'],
    ),
    failures: metrics.counter(
      'rate_limit_redis_failures_total',
      'Rate-limit checks Redis failed or answered too late.',
      ['reason'],
    ),
    duration: metrics.histogram(
      'rate_limit_check_duration_seconds',
      'Time to decide one request, by backend.',
      ['backend'],
      [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    ),
    labels: new Map(),
  };
}

/**
 * The limiter core, usable without Nest: `check` decides a request at every level that applies in one Redis
 * round trip, `release` gives back an in-flight slot, `penalize` makes a principal's limits stricter for a while.
 * When Redis fails or is slower than `redisBudgetMs`, a breaker moves decisions to an in-memory limiter with
 * limits ÷ instances, and moves them back once a probe reaches Redis again (Q8.4).
 */
export class RateLimiter {
  readonly planner: Planner;
  private readonly redisBackend: RedisBackend;
  private readonly memory: MemoryBackend;
  private readonly breaker: CircuitBreaker;
  private readonly clock: () => number;
  private readonly metrics: LimiterMetrics | undefined;

  constructor(private readonly init: RateLimiterInit) {
    const { options } = init;
    this.planner = new Planner(options);
    this.redisBackend = new RedisBackend(init.redis);
    this.memory = new MemoryBackend(options.instances);
    this.clock = init.clock ?? Date.now;
    this.metrics = init.metrics ? registerMetrics(init.metrics) : undefined;
    this.breaker = new CircuitBreaker(
      { failureThreshold: options.breakerFailures, openMs: options.breakerCooldownMs },
      {
        clock: this.clock,
        onChange: (state) => {
          if (state === 'open') {
            this.metrics?.switches.inc({ to: 'memory' });
            init.logger?.warn(
              { instances: options.instances, cooldownMs: options.breakerCooldownMs },
              'rate limiter: Redis unavailable or slow, deciding in memory with limits divided by the instance count',
            );
          } else {
            this.metrics?.switches.inc({ to: 'redis' });
            init.logger?.info({}, 'rate limiter: Redis reachable again, decisions back on Redis');
          }
        },
      },
    );
  }

  get options(): RateLimitOptions {
    return this.init.options;
  }

  /** Where the next decision will most likely be made. */
  get backend(): Backend {
    return this.breaker.state === 'closed' ? 'redis' : 'memory';
  }

  async check(request: RateLimitRequest): Promise<RateLimitDecision> {
    const plan = this.planner.plan(request);
    const token = plan.concurrency ? randomUUID() : '';
    const started = performance.now();
    let raw: RawOutcome | undefined;
    let backend: Backend = 'redis';
    if (this.breaker.allow()) {
      try {
        raw = await withDeadline(this.redisBackend.evaluate(plan, token), this.options.redisBudgetMs, 'Redis');
        this.breaker.success();
      } catch (error) {
        // A late answer may still consume in Redis: the error is on the strict side, and a lease taken that
        // way expires with its TTL.
        this.metrics?.failures.inc({ reason: error instanceof DeadlineExceeded ? 'timeout' : 'error' });
        this.breaker.failure();
      }
    }
    if (!raw) {
      backend = 'memory';
      raw = this.memory.evaluate(plan, this.clock(), token);
    }
    const decision = this.decide(plan, raw, backend, token);
    if (this.metrics) this.record(decision, (performance.now() - started) / 1000);
    return decision;
  }

  async release(lease: Lease | undefined): Promise<void> {
    if (!lease) return;
    if (lease.backend === 'memory') return this.memory.release(lease.key, lease.token);
    // If Redis is away the slot expires with its lease; nothing else to do.
    await bestEffort(this.redisBackend.release(lease.key, lease.token), 'rate-limit.lease.release');
  }

  /**
   * Q30.3: multiplies a subject's own interval by `factor` (and divides its burst) for `ttlSeconds`. The stricter
   * factor and the later expiry win when penalties overlap. Returns the factor now in force.
   */
  async penalize(subject: Pick<RateLimitSubject, 'kind' | 'id'>, factor: number, ttlSeconds: number): Promise<number> {
    if (!(factor >= 1 && factor <= 1000)) throw new Error(`Penalty factor must be between 1 and 1000: ${factor}`);
    if (!(ttlSeconds > 0)) throw new Error(`Penalty ttl must be positive: ${ttlSeconds}`);
    const key = this.penaltyKey(subject);
    const ttlMs = Math.ceil(ttlSeconds * 1000);
    const local = this.memory.penalize(key, factor, ttlMs, this.clock());
    try {
      return await withDeadline(
        this.redisBackend.penalize(key, factor, ttlMs),
        this.options.redisBudgetMs * 4,
        'Redis',
      );
    } catch (error) {
      // Kept on this instance only until Redis is back; the caller re-applies it on the next offence.
      this.init.logger?.warn({ err: error, kind: subject.kind, factor }, 'rate limiter: penalty not stored in Redis');
      return local;
    }
  }

  async clearPenalty(subject: Pick<RateLimitSubject, 'kind' | 'id'>): Promise<void> {
    const key = this.penaltyKey(subject);
    this.memory.clearPenalty(key);
    await this.redisBackend.clearPenalty(key);
  }

  private penaltyKey(subject: Pick<RateLimitSubject, 'kind' | 'id'>): string {
    const partition = this.planner.keys.partitionOf(subject, undefined);
    return this.planner.keys.penalty(this.planner.keys.tagOf(partition), partition);
  }

  private decide(plan: CheckPlan, raw: RawOutcome, backend: Backend, token: string): RateLimitDecision {
    const rejectedBy: string[] = [];
    let retryAfterUs = 0;
    const levels: LevelOutcome[] = plan.levels.map((level, i) => {
      const result = raw.levels[i]!;
      const divisor = backend === 'memory' ? this.options.instances : level.sharded ? this.options.shards : 1;
      const penalty = level.penalizable ? raw.penalty : 1;
      const base = backend === 'memory' ? gcraParams(level.rate, plan.cost, divisor) : level.redis;
      if (result.waitUs > 0) {
        rejectedBy.push(level.level);
        retryAfterUs = Math.max(retryAfterUs, result.waitUs);
      }
      return {
        level: level.level,
        policy: level.policy,
        advertise: level.advertise,
        quota: Math.max(1, Math.floor(level.rate.limit / (divisor * penalty))),
        windowSeconds: level.rate.windowSeconds,
        burst: penalized(base, penalty, plan.cost).capacity,
        remaining: result.remaining,
        resetMs: Math.ceil(result.resetUs / 1000),
        waitMs: Math.ceil(result.waitUs / 1000),
      };
    });
    let concurrency: RateLimitDecision['concurrency'];
    if (plan.concurrency) {
      const limit =
        backend === 'redis'
          ? plan.concurrency.limit
          : Math.max(1, Math.floor(plan.concurrency.limit / this.options.instances));
      concurrency = { limit, inFlight: raw.inFlight, busy: raw.busy };
      // Nobody knows when an in-flight request ends; a second is the hint, its lease the upper bound.
      if (raw.busy) {
        rejectedBy.push('concurrency');
        retryAfterUs = Math.max(retryAfterUs, 1_000_000);
      }
    }
    return {
      allowed: raw.allowed,
      backend,
      route: plan.route,
      cost: plan.cost,
      tier: plan.tier,
      retryAfterMs: raw.allowed ? 0 : Math.ceil(retryAfterUs / 1000),
      rejectedBy,
      penalty: raw.penalty,
      levels,
      concurrency,
      lease: raw.allowed && plan.concurrency ? { key: plan.inflightKey, token, backend } : undefined,
    };
  }

  private record(decision: RateLimitDecision, seconds: number): void {
    const metrics = this.metrics!;
    const verdict = decision.allowed ? 'allowed' : 'rejected';
    const key = `${decision.route}|${verdict}|${decision.backend}`;
    let labels = metrics.labels.get(key);
    if (!labels) {
      labels = { route: decision.route, decision: verdict, backend: decision.backend };
      metrics.labels.set(key, labels);
    }
    metrics.decisions.inc(labels);
    for (const level of decision.rejectedBy) metrics.rejections.inc({ level });
    metrics.duration.observe(decision.backend === 'redis' ? REDIS_LABELS : MEMORY_LABELS, seconds);
  }
}

const REDIS_LABELS = { backend: 'redis' };
const MEMORY_LABELS = { backend: 'memory' };
