import { createHmac } from 'node:crypto';
import type Redis from 'ioredis';
import { bestEffort, type Logger } from '@casebook/platform';

export interface LoginAttemptDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * Limits failed sign-ins per account and per client IP. An interface, so the distributed limiter of
 * `@casebook/rate-limit` can take this place without touching the login flow.
 */
export interface LoginAttemptLimiter {
  check(account: string, ip: string): Promise<LoginAttemptDecision>;
  recordFailure(account: string, ip: string): Promise<void>;
  recordSuccess(account: string): Promise<void>;
}

export interface LoginAttemptOptions {
  maxFailuresPerAccount: number;
  /** Per IP the allowance is larger: many users can share one office or mobile carrier address. */
  maxFailuresPerIp: number;
  windowSeconds: number;
  /** Keys are HMACs of the email and IP, so Redis holds no personal data. */
  pepper: string;
}

/**
 * Failure counters in Redis (INCR + EXPIRE on the first failure of a window); when Redis is away, the
 * same counters per instance in memory, so a Redis outage never opens the door to password guessing.
 */
export class RedisLoginAttemptLimiter implements LoginAttemptLimiter {
  private readonly memory = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly redis: Redis | null,
    private readonly options: LoginAttemptOptions,
    private readonly logger: Logger,
  ) {}

  private key(kind: 'acct' | 'ip', value: string): string {
    const digest = createHmac('sha256', this.options.pepper).update(value).digest('base64url').slice(0, 22);
    return `login:fail:${kind}:{${digest}}`;
  }

  async check(account: string, ip: string): Promise<LoginAttemptDecision> {
    const accountKey = this.key('acct', account);
    const ipKey = this.key('ip', ip);
    const [[accountFailures, accountTtl], [ipFailures, ipTtl]] = await Promise.all([
      this.read(accountKey),
      this.read(ipKey),
    ]);
    const blocked: number[] = [];
    if (accountFailures >= this.options.maxFailuresPerAccount) blocked.push(accountTtl);
    if (ipFailures >= this.options.maxFailuresPerIp) blocked.push(ipTtl);
    return blocked.length === 0
      ? { allowed: true, retryAfterSeconds: 0 }
      : { allowed: false, retryAfterSeconds: Math.max(1, ...blocked) };
  }

  async recordFailure(account: string, ip: string): Promise<void> {
    await Promise.all([this.increment(this.key('acct', account)), this.increment(this.key('ip', ip))]);
  }

  async recordSuccess(account: string): Promise<void> {
    const key = this.key('acct', account);
    this.memory.delete(key);
    if (this.redis) await bestEffort(this.redis.del(key), 'auth.login-attempts.reset');
  }

  private async read(key: string): Promise<[number, number]> {
    if (this.redis) {
      try {
        const [[, count], [, ttl]] = (await this.redis.multi().get(key).ttl(key).exec()) as [
          [null, string | null],
          [null, number],
        ];
        return [Number(count ?? 0), Math.max(ttl, 1)];
      } catch (error) {
        this.logger.warn({ err: error }, 'login attempts: Redis unavailable, counting in memory');
      }
    }
    const entry = this.memory.get(key);
    if (!entry || entry.resetAt <= Date.now()) return [0, 0];
    return [entry.count, Math.ceil((entry.resetAt - Date.now()) / 1000)];
  }

  private async increment(key: string): Promise<void> {
    if (this.redis) {
      try {
        await this.redis.multi().incr(key).expire(key, this.options.windowSeconds, 'NX').exec();
        return;
      } catch {
        // fall through to memory
      }
    }
    const now = Date.now();
    const entry = this.memory.get(key);
    if (!entry || entry.resetAt <= now) {
      this.memory.set(key, { count: 1, resetAt: now + this.options.windowSeconds * 1000 });
    } else {
      entry.count += 1;
    }
  }
}
