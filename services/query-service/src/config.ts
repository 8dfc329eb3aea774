import { auditConfigShape } from '@casebook/audit';
import { tokenVerifierConfigSchema } from '@casebook/auth';
import { baseConfigSchema, booleanFlag, loadConfig, secret, type Env } from '@casebook/platform';
import { z } from 'zod';

export const SERVICE_NAME = 'query-service';
export const SERVICE_DEFAULTS = { port: 3001, database: 'casebook_query' } as const;

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

export const queryConfigSchema = baseConfigSchema(SERVICE_DEFAULTS)
  .merge(tokenVerifierConfigSchema)
  // Cache administration is audited (Q6.1, Q20.x); AUDIT_PSEUDONYM_KEY must be the same in every service, so a
  // user has one pseudonym across their logs.
  .extend(auditConfigShape)
  .extend({
    /** Q16.3: the warehouse gets its own pool, apart from the service's own tables. Defaults to DATABASE_URL. */
    WAREHOUSE_URL: secret(z.string().url().optional()),
    WAREHOUSE_POOL_SIZE: int(1, 100, 5),
    /** Queries waiting for a warehouse connection beyond this are refused with 503 instead of piling up. */
    WAREHOUSE_QUEUE_LIMIT: int(0, 10_000, 100),
    WAREHOUSE_QUEUE_TIMEOUT_MS: int(10, 120_000, 5_000),
    WAREHOUSE_STATEMENT_TIMEOUT_MS: int(100, 600_000, 30_000),
    /** Consecutive warehouse failures that open its breaker, and for how long (also the Retry-After). */
    WAREHOUSE_BREAKER_FAILURES: int(1, 1_000, 5),
    WAREHOUSE_BREAKER_OPEN_MS: int(100, 600_000, 10_000),
    /**
     * Off: every answer goes to the warehouse (Cache-Status `fwd=bypass`). A kill switch for incidents and
     * the uncached baseline of the benchmarks.
     */
    QUERY_CACHE_ENABLED: booleanFlag(true),
    /**
     * Q12.1: the upper bound on an answer's age. Loads invalidate exactly through data versions, so the TTL
     * does not carry freshness; it bounds memory and anything versions cannot see (a dimension renamed).
     */
    QUERY_CACHE_TTL_MS: int(1_000, 7 * 86_400_000, 86_400_000),
    /** Stale-while-revalidate window after the TTL. */
    QUERY_CACHE_GRACE_MS: int(0, 7 * 86_400_000, 300_000),
    /** Q16.4: how old an answer may be when served because the warehouse is down. */
    QUERY_CACHE_STALE_IF_ERROR_MS: int(0, 30 * 86_400_000, 86_400_000),
    QUERY_CACHE_L1_BYTES: int(0, 4_294_967_296, 64 * 1_048_576),
    QUERY_CACHE_L1_TTL_MS: int(100, 3_600_000, 10_000),
    /** Q18.2: the most a request waits for Redis before bypassing it. */
    QUERY_CACHE_L2_BUDGET_MS: int(1, 10_000, 50),
    /** Q18.4: larger encoded results are answered but not cached. */
    QUERY_CACHE_MAX_ENTRY_BYTES: int(1_024, 512 * 1_048_576, 4 * 1_048_576),
    QUERY_CACHE_COMPRESS_ABOVE_BYTES: int(0, 1_048_576, 1_024),
    QUERY_CACHE_LEASE_TTL_MS: int(100, 600_000, 15_000),
    /** XFetch β (Q13.3): higher refreshes earlier; 0 turns probabilistic early refresh off. */
    QUERY_CACHE_XFETCH_BETA: z.coerce.number().min(0).max(10).default(1),
    /** Q16.2: results with more groups than this are paged from the warehouse instead of cached whole. */
    QUERY_MAX_CACHED_ROWS: int(1, 1_000_000, 10_000),
    /** Partial hits split an IN list into per-value entries up to this many values (Q11.3). */
    QUERY_SPLIT_MAX_VALUES: int(1, 1_000, 50),
    /** Q16.1: with `Prefer: respond-async`, answer 202 if the result is not ready within this. */
    QUERY_ASYNC_AFTER_MS: int(10, 600_000, 2_000),
    /** Q15: warming after each load. */
    WARMING_ENABLED: booleanFlag(true),
    WARMING_TOP_N: int(0, 10_000, 100),
    /** Half-life of the decayed query frequency that ranks what to warm. */
    WARMING_HALF_LIFE_MS: int(60_000, 30 * 86_400_000, 6 * 3_600_000),
    /** Upper bound of warehouse time one warming run may spend. */
    WARMING_BUDGET_MS: int(100, 3_600_000, 60_000),
  });

export type QueryConfig = z.infer<typeof queryConfigSchema>;

export function loadQueryConfig(env: Env = process.env): QueryConfig {
  return loadConfig(queryConfigSchema, env);
}
