import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** A standalone client or a Cluster client: the limiter runs the same on both. */
export type RedisClient = Redis | Cluster;

/**
 * Q5.1 / Q5.4: every level of one request — user or API key, IP, role tier, global — and the in-flight slot,
 * decided in one atomic call. Nothing is written unless every level admits, so a rejection by one level
 * consumes from none (rate-limiter-flexible's union consumes the others: animir/node-rate-limiter-flexible#280).
 * The clock is the Redis server's `TIME`, never an app server's, so clock skew between app servers changes
 * nothing. All keys share one hash tag, so the call is legal on Redis Cluster (one slot).
 *
 * Redis is single-threaded and shared, so the script does only what must be atomic: read, decide, write. Four
 * levels cost five calls (TIME, one MGET, a SET with expiry per unbounded key, one MSET for the bounded role and
 * global keys, which need no expiry); remaining units and reset times are derived by the caller from the TATs.
 * Inside a script a write costs more than the command itself, and every number handed to Redis is formatted
 * with snprintf, so expiries come precomputed as strings (a bucket is full again after capacity × interval;
 * only a penalised level, whose interval is longer, computes its own).
 *
 * KEYS[1] penalty factor, KEYS[2] in-flight sorted set (lease token → expiry ms), KEYS[3..] one per level.
 * ARGV[1] cost, ARGV[2] concurrency limit (0: none), ARGV[3] lease ms, ARGV[4] lease token, ARGV[5] the level
 * the penalty applies to (0: none), then three per level: interval µs, capacity, expiry ms (0: bounded key, none).
 * Returns {allowed, penalty × 1000, in flight, concurrency busy, now µs, then per level its TAT µs: the new one
 * when admitted, the current one (at least now) when not}.
 */
export const CHECK_SCRIPT = `
local floor = math.floor
local n = #KEYS - 2
local cost = tonumber(ARGV[1])
local clock = redis.call('TIME')
local now = clock[1] * 1000000 + clock[2]
local stored = redis.call('MGET', KEYS[1], unpack(KEYS, 3))
local penalty = tonumber(stored[1]) or 1
local owner = tonumber(ARGV[5])
local out = {1, floor(penalty * 1000), 0, 0, now}
local intervals = {}
for i = 1, n do
  local interval = tonumber(ARGV[3 + 3 * i])
  local capacity = tonumber(ARGV[4 + 3 * i])
  if i == owner and penalty > 1 then
    interval = floor(interval * penalty)
    capacity = floor(capacity / penalty)
    if capacity < cost then capacity = cost end
  end
  local tat = tonumber(stored[i + 1]) or now
  if tat < now then tat = now end
  intervals[i] = interval
  out[5 + i] = tat
  if tat + (cost - capacity) * interval > now then out[1] = 0 end
end
local limit = tonumber(ARGV[2])
if limit > 0 then
  local nowMs = floor(now / 1000)
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', nowMs)
  local inflight = redis.call('ZCARD', KEYS[2])
  if out[1] == 1 then
    if inflight >= limit then
      out[1], out[4] = 0, 1
    else
      local lease = tonumber(ARGV[3])
      redis.call('ZADD', KEYS[2], nowMs + lease, ARGV[4])
      if redis.call('PTTL', KEYS[2]) < lease then redis.call('PEXPIRE', KEYS[2], lease) end
      inflight = inflight + 1
    end
  end
  out[3] = inflight
end
if out[1] == 1 then
  local bounded = {}
  for i = 1, n do
    local tat = out[5 + i] + cost * intervals[i]
    out[5 + i] = tat
    if tat > now then
      local expiry = ARGV[5 + 3 * i]
      if i == owner and penalty > 1 then expiry = floor((tat - now) / 1000) + 1 end
      if expiry == '0' then
        bounded[#bounded + 1] = KEYS[2 + i]
        bounded[#bounded + 1] = tat
      else
        redis.call('SET', KEYS[2 + i], tat, 'PX', expiry)
      end
    end
  end
  if #bounded > 0 then redis.call('MSET', unpack(bounded)) end
end
return out
`;

/**
 * Q30.3: a penalty makes a principal's own limits stricter for a while. The stricter factor and the later
 * expiry win, so a mild penalty never shortens a severe one. KEYS[1] penalty; ARGV[1] factor, ARGV[2] ttl ms.
 */
export const PENALIZE_SCRIPT = `
local factor = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local current = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local pttl = redis.call('PTTL', KEYS[1])
if current > factor then factor = current end
if pttl > ttl then ttl = pttl end
local value = string.format('%.3f', factor)
redis.call('SET', KEYS[1], value, 'PX', ttl)
return value
`;

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * A script sent by its SHA-1 (`EVALSHA`), and in full (`EVAL`, which also caches it) only when the server does
 * not know it: after a restart, a `SCRIPT FLUSH`, or on a cluster node that has not seen it yet (Q8.4).
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  run(redis: RedisClient, keys: string[], args: (string | number)[]): Promise<unknown> {
    return redis.evalsha(this.sha, keys.length, ...keys, ...args).catch((error: unknown) => {
      if (!isNoScript(error)) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    });
  }
}
