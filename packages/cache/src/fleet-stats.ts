import { type CacheMetrics, type CacheStatsSnapshot, EMPTY_STATS } from './cache-metrics';
import type { CacheKeys } from './keys';
import type { RedisTier } from './redis-tier';

/**
 * Q17.1: a fleet-wide view without a metrics backend. Each instance adds what it counted since the
 * last flush to one Redis hash (HINCRBYFLOAT per field); a failed flush keeps the counts for the next.
 */
export async function flushStats(l2: RedisTier | null, keys: CacheKeys, stats: CacheMetrics): Promise<void> {
  if (!l2 || !l2.usable) return;
  const delta = stats.takeUnflushed();
  const fields = Object.entries(delta).filter(([, n]) => n !== 0);
  if (fields.length === 0) return;
  try {
    await l2.call(
      'stats',
      (r) => Promise.all(fields.map(([field, n]) => r.hincrbyfloat(keys.stats(), field, n))),
      1_000,
    );
  } catch {
    stats.restoreUnflushed(delta);
  }
}

export async function readFleetStats(l2: RedisTier, keys: CacheKeys): Promise<CacheStatsSnapshot> {
  const hash = await l2.call('stats', (r) => r.hgetall(keys.stats()), 1_000);
  const out = { ...EMPTY_STATS };
  for (const key of Object.keys(out) as (keyof CacheStatsSnapshot)[]) out[key] = Number(hash[key] ?? 0);
  return out;
}
