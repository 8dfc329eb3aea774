import type { CacheResult } from '@casebook/cache';

/**
 * RFC 9211 `Cache-Status` for an answer (Q17.1 at the edge: clients and proxies see what happened).
 * - `hit; ttl=42` fresh from a tier; `hit; ttl=-5; detail="stale-while-revalidate"` stale while one
 *   caller refreshes it;
 * - `fwd=stale; fwd-status=503; detail="stale-if-error"` the warehouse failed, the last value was served;
 * - `fwd=uri-miss|stale|miss; stored` computed now (`collapsed` when it waited for another caller's load);
 * - `fwd=partial` part of it came from cached parts (Q11.3);
 * - `fwd=bypass` the cache is switched off.
 */
export function cacheStatus(
  result: CacheResult<unknown>,
  key: string,
  partial?: { cached: number; total: number },
  bypass = false,
): string {
  if (bypass) return 'casebook; fwd=bypass';
  // Floor, so an answer stale by less than a second still reads as stale (ttl=-1, never ttl=0).
  const ttl = `ttl=${Math.floor(result.ttlMs / 1000)}`;
  const params: string[] = ['casebook'];
  if (result.outcome === 'hit') {
    params.push('hit', ttl, `detail="${result.source}"`);
  } else if (result.outcome === 'stale' && result.staleReason === 'revalidating') {
    params.push('hit', ttl, 'detail="stale-while-revalidate"');
  } else if (result.outcome === 'stale') {
    params.push('fwd=stale', 'fwd-status=503', ttl, 'detail="stale-if-error"');
  } else {
    const fwd =
      partial && partial.cached > 0
        ? 'partial'
        : result.missReason === 'cold'
          ? 'uri-miss'
          : result.missReason === 'expired' || result.missReason === 'outdated' || result.missReason === 'invalidated'
            ? 'stale'
            : 'miss';
    params.push(`fwd=${fwd}`);
    if (result.stored) params.push('stored', ttl);
    if (result.collapsed) params.push('collapsed');
    if (partial && partial.cached > 0) params.push(`detail="${partial.cached}/${partial.total} parts cached"`);
  }
  params.push(`key="${key}"`);
  return params.join('; ');
}
