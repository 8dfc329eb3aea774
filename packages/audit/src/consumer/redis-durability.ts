import type Redis from 'ioredis';

export interface RedisDurability {
  /** AOF on: an acknowledged XADD survives a Redis restart (up to `appendfsync` on power loss). */
  appendOnly: boolean | null;
  appendFsync: string | null;
  /** `noeviction`: Redis refuses writes when full instead of evicting the stream. */
  maxmemoryPolicy: string | null;
  problems: string[];
}

/**
 * The stream half of the design relies on Redis keeping acknowledged entries (docs/adr/0007). This reads
 * the settings that matter; managed Redis may forbid CONFIG GET, which reads as unknown, not as fine.
 */
export async function checkRedisDurability(redis: Redis): Promise<RedisDurability> {
  const get = async (name: string): Promise<string | null> => {
    try {
      const reply = (await redis.config('GET', name)) as string[];
      return reply[1] ?? null;
    } catch {
      return null;
    }
  };
  const [appendOnly, appendFsync, maxmemoryPolicy] = await Promise.all([
    get('appendonly'),
    get('appendfsync'),
    get('maxmemory-policy'),
  ]);
  const problems: string[] = [];
  if (appendOnly !== 'yes') {
    problems.push(
      appendOnly === null
        ? 'cannot read appendonly (CONFIG disabled?): make sure AOF is on'
        : 'appendonly is off: a Redis restart loses audit events not yet moved to Postgres',
    );
  }
  if (maxmemoryPolicy !== null && maxmemoryPolicy !== 'noeviction') {
    problems.push(`maxmemory-policy is ${maxmemoryPolicy}: Redis may evict the audit stream; use noeviction`);
  }
  return {
    appendOnly: appendOnly === null ? null : appendOnly === 'yes',
    appendFsync,
    maxmemoryPolicy,
    problems,
  };
}
