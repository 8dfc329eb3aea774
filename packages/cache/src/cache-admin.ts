import type { Redis } from 'ioredis';
import { CacheKeys } from './keys';
import { decodeEnvelope } from './envelope';
import type { CachedEntry } from './memory-tier';
import type { RedisTier } from './redis-tier';
import type { EntryInfo, EntryOptions, State } from './types';

/** What the admin view needs from the engine. */
export interface AdminPort {
  l2: RedisTier | null;
  keys: CacheKeys;
  redisKeyPrefix: string;
  clock: () => number;
  decode(key: string, bytes: Buffer): CachedEntry | 'corrupt';
  stateOf(entry: CachedEntry, now: number, options: EntryOptions): State | Promise<State>;
}

/** Q20.1: reading the cache for operators. Nothing here is on the request path. */
export class CacheAdmin {
  constructor(private readonly port: AdminPort) {}

  /** Admin view of one entry: its metadata and state, never its payload. */
  async inspect(key: string, options: Pick<EntryOptions, 'dataVersion'> = {}): Promise<EntryInfo | null> {
    CacheKeys.assertLogicalKey(key);
    if (!this.port.l2) return null;
    const [bytes, pttl] = await this.port.l2.call(
      'admin',
      (r) => Promise.all([r.getBuffer(this.port.keys.entry(key)), r.pttl(this.port.keys.entry(key))]),
      2_000,
    );
    if (!bytes) return null;
    const entry = this.port.decode(key, bytes);
    if (entry === 'corrupt') return null;
    const state = await this.port.stateOf(entry, this.port.clock(), { ttlMs: 0, ...options });
    const { value: _value, bytes: size, ...meta } = entry;
    const codec = decodeEnvelope(bytes).codec;
    return {
      key,
      ...meta,
      bytes: size,
      codec,
      state: state.kind === 'dead' ? state.reason : state.kind === 'outdated' ? 'stale' : state.kind,
      expiresInMs: pttl,
    };
  }

  /** Keys recorded under a tag that are still alive (advisory index; dry runs and the admin view). */
  async keysForTag(tag: string, limit = 1_000): Promise<string[]> {
    CacheKeys.assertTag(tag);
    if (!this.port.l2) return [];
    return this.port.l2.call(
      'admin',
      (r) => r.zrangebyscore(this.port.keys.tagIndex(tag), this.port.clock(), '+inf', 'LIMIT', 0, limit),
      2_000,
    );
  }

  /**
   * Admin prefix view with SCAN (never KEYS): a few bounded steps per page, never on the request path.
   * Standalone Redis only; on a Cluster, list by tag.
   */
  async scanPrefix(prefix: string, cursor: string, limit: number): Promise<{ keys: string[]; cursor: string }> {
    if (!this.port.l2) return { keys: [], cursor: '0' };
    const redis = this.port.l2.redis;
    if ('nodes' in redis && typeof redis.nodes === 'function') {
      throw new Error('prefix listing is not supported on Redis Cluster; list by tag instead');
    }
    const pattern = `${this.port.redisKeyPrefix}${this.port.keys.entryPattern(prefix)}`;
    const keys: string[] = [];
    let next = cursor;
    for (let steps = 0; steps < 20 && keys.length < limit; steps += 1) {
      const [after, batch] = await this.port.l2.call(
        'admin',
        (r) => (r as Redis).scan(next, 'MATCH', pattern, 'COUNT', 500),
        2_000,
      );
      next = after;
      for (const physical of batch) {
        const logical = this.port.keys.logicalKeyOf(physical.slice(this.port.redisKeyPrefix.length));
        if (logical) keys.push(logical);
      }
      if (next === '0') break;
    }
    return { keys: keys.slice(0, limit), cursor: next };
  }
}
