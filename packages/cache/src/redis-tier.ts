import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { type BreakerOptions, type BreakerState, CircuitBreaker } from '@casebook/platform';
import type { CacheKeys } from './keys';

export type RedisClient = Redis | Cluster;

// Q13.3: lease = SET NX PX with a random token; TIME is returned too, so `asOf` of the value that the
// holder computes is on the Redis clock, the same clock tag invalidations are stamped with.
const ACQUIRE = `
local ok = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ok then return {1, now, 0} end
return {0, now, redis.call('PTTL', KEYS[1])}
`;

// Compare-and-delete: a holder whose lease expired must not delete the next holder's lease.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

// Entry and lease share a hash tag (same Cluster slot), so the value is visible before the lease goes.
const FILL = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return 1
`;

// Q12.2, Q20.3: invalidating a tag is one write of one key: it either happened or it did not.
// Stamped with Redis time, strictly increasing, and without a TTL (ADR 0008: volatile-lfu never evicts it).
const INVALIDATE_TAG = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if now <= current then now = current + 1 end
redis.call('SET', KEYS[1], now)
return now
`;

const NOW = `
local t = redis.call('TIME')
return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

interface ScriptCommands {
  cbAcquire(lease: string, token: string, ttlMs: number): Promise<[number, number, number]>;
  cbRelease(lease: string, token: string): Promise<number>;
  cbRenew(lease: string, token: string, ttlMs: number): Promise<number>;
  cbFill(entry: string, lease: string, bytes: Buffer, pxMs: number, token: string): Promise<number>;
  cbInvalidateTag(tag: string): Promise<number>;
  cbNow(): Promise<number>;
}

function withScripts(redis: RedisClient): RedisClient & ScriptCommands {
  const client = redis as RedisClient & Partial<ScriptCommands>;
  if (!client.cbAcquire) {
    // defineCommand sends EVALSHA and falls back to EVAL on NOSCRIPT (a restarted or failed-over Redis).
    redis.defineCommand('cbAcquire', { numberOfKeys: 1, lua: ACQUIRE });
    redis.defineCommand('cbRelease', { numberOfKeys: 1, lua: RELEASE });
    redis.defineCommand('cbRenew', { numberOfKeys: 1, lua: RENEW });
    redis.defineCommand('cbFill', { numberOfKeys: 2, lua: FILL });
    redis.defineCommand('cbInvalidateTag', { numberOfKeys: 1, lua: INVALIDATE_TAG });
    redis.defineCommand('cbNow', { numberOfKeys: 0, lua: NOW });
  }
  return client as RedisClient & ScriptCommands;
}

interface Pending {
  deadline: number;
  expire: () => void;
}

export class L2Unavailable extends Error {
  constructor(readonly reason: 'breaker-open' | 'timeout' | 'error' | 'disconnected') {
    super(`L2 unavailable: ${reason}`);
    this.name = 'L2Unavailable';
  }
}

export interface RedisTierOptions {
  /** Q18.2: the most a cache read may wait for Redis before it counts as a failure and is bypassed. */
  budgetMs: number;
  breaker: BreakerOptions;
  clock?: () => number;
  onBreakerChange?: (state: BreakerState) => void;
  onFailure?: (op: string, reason: L2Unavailable['reason']) => void;
}

export type Lease = { acquired: true; token: string; now: number } | { acquired: false; now: number; pttl: number };

/** L2: every Redis call runs inside the latency budget and through the breaker. */
export class RedisTier {
  readonly redis: RedisClient & ScriptCommands;
  private readonly breaker: CircuitBreaker;

  constructor(
    redis: RedisClient,
    private readonly keys: CacheKeys,
    private readonly options: RedisTierOptions,
  ) {
    this.redis = withScripts(redis);
    this.breaker = new CircuitBreaker(options.breaker, { clock: options.clock, onChange: options.onBreakerChange });
  }

  get breakerState(): BreakerState {
    return this.breaker.state;
  }

  /** Whether a call would be attempted now (connected and breaker not open). */
  get usable(): boolean {
    return this.redis.status === 'ready' && this.breaker.state !== 'open';
  }

  /**
   * Runs `op` within the budget; a timeout or an error feeds the breaker and becomes {@link L2Unavailable}.
   * Deadlines are checked by one shared sweep instead of a timer per call (a timer and a race per Redis
   * call cost more than the GET itself on the hit path).
   */
  call<T>(name: string, op: (redis: RedisClient & ScriptCommands) => Promise<T>, budgetMs?: number): Promise<T> {
    if (this.redis.status !== 'ready') return Promise.reject(this.fail(name, 'disconnected', false));
    if (!this.breaker.allow()) return Promise.reject(this.fail(name, 'breaker-open', false));
    const budget = budgetMs ?? this.options.budgetMs;
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = {
        deadline: performance.now() + budget,
        expire: () => reject(this.fail(name, 'timeout', true)),
      };
      this.track(pending, budget);
      op(this.redis).then(
        (value) => {
          if (!this.inflight.delete(pending)) return;
          this.breaker.success();
          resolve(value);
        },
        () => {
          if (!this.inflight.delete(pending)) return;
          reject(this.fail(name, 'error', true));
        },
      );
    });
  }

  private readonly inflight = new Set<Pending>();
  private sweeper: NodeJS.Timeout | undefined;
  private sweepEveryMs = Number.POSITIVE_INFINITY;

  private track(pending: Pending, budget: number): void {
    this.inflight.add(pending);
    // Checked at a quarter of the shortest budget in use: a call fails at most 25 % past its budget.
    const every = Math.max(2, Math.floor(budget / 4));
    if (this.sweeper && every >= this.sweepEveryMs) return;
    clearInterval(this.sweeper);
    this.sweepEveryMs = every;
    this.sweeper = setInterval(() => this.sweep(), every);
    this.sweeper.unref();
  }

  private sweep(): void {
    if (this.inflight.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
      this.sweepEveryMs = Number.POSITIVE_INFINITY;
      return;
    }
    const now = performance.now();
    for (const pending of this.inflight) {
      if (pending.deadline > now) continue;
      this.inflight.delete(pending);
      pending.expire();
    }
  }

  private fail(op: string, reason: L2Unavailable['reason'], countsAgainst: boolean): L2Unavailable {
    if (countsAgainst) this.breaker.failure();
    this.options.onFailure?.(op, reason);
    return new L2Unavailable(reason);
  }

  get(key: string): Promise<Buffer | null> {
    return this.call('get', (r) => r.getBuffer(this.keys.entry(key)));
  }

  /** One round trip for many keys (pipelined GETs: MGET across slots is not allowed on a Cluster). */
  getMany(keys: string[]): Promise<(Buffer | null)[]> {
    return this.call('get', (r) => Promise.all(keys.map((k) => r.getBuffer(this.keys.entry(k)))));
  }

  async acquireLease(key: string, ttlMs: number): Promise<Lease> {
    const token = randomBytes(16).toString('base64url');
    const [ok, now, pttl] = await this.call('lease', (r) => r.cbAcquire(this.keys.lease(key), token, ttlMs));
    return ok === 1 ? { acquired: true, token, now } : { acquired: false, now, pttl };
  }

  async releaseLease(key: string, token: string): Promise<void> {
    await this.call('lease', (r) => r.cbRelease(this.keys.lease(key), token));
  }

  async renewLease(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.call('lease', (r) => r.cbRenew(this.keys.lease(key), token, ttlMs))) === 1;
  }

  async leaseHeld(key: string): Promise<boolean> {
    return (await this.call('lease', (r) => r.exists(this.keys.lease(key)))) === 1;
  }

  /** Writes the entry and, if `token` still owns the lease, releases it, atomically. */
  async fill(key: string, bytes: Buffer, pxMs: number, token: string | null, budgetMs?: number): Promise<void> {
    await this.call(
      'set',
      (r) => r.cbFill(this.keys.entry(key), this.keys.lease(key), bytes, Math.max(1, Math.ceil(pxMs)), token ?? ''),
      budgetMs,
    );
  }

  /**
   * The advisory tag → keys index (admin view, dry runs): records `key` under each tag until it expires
   * and drops members that already have. Never consulted on the read path.
   */
  async indexTags(key: string, tags: readonly string[], lifetimeMs: number, now: number): Promise<void> {
    const expireAt = now + lifetimeMs;
    await this.call('index', (r) =>
      Promise.all(
        tags.flatMap((tag) => {
          const index = this.keys.tagIndex(tag);
          return [
            r.zadd(index, expireAt, key),
            r.zremrangebyscore(index, '-inf', now),
            r.pexpire(index, Math.ceil(lifetimeMs) + 60_000),
          ];
        }),
      ),
    );
  }

  async delete(key: string): Promise<boolean> {
    return (await this.call('delete', (r) => r.unlink(this.keys.entry(key)))) === 1;
  }

  invalidateTag(tag: string, budgetMs?: number): Promise<number> {
    return this.call('invalidate', (r) => r.cbInvalidateTag(this.keys.tag(tag)), budgetMs);
  }

  async tagTimes(tags: string[]): Promise<Map<string, number>> {
    const values = await this.call('tags', (r) => Promise.all(tags.map((t) => r.get(this.keys.tag(t)))));
    return new Map(tags.map((tag, i) => [tag, Number(values[i] ?? 0)]));
  }

  now(): Promise<number> {
    return this.call('time', (r) => r.cbNow());
  }
}

/** A random id for this process's cache instance (bus messages name their origin with it). */
export function newInstanceId(): string {
  return randomBytes(6).toString('hex');
}
