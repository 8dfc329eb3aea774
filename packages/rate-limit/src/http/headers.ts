import type { RateLimitDecision } from '../core';

/**
 * `RateLimit-Policy` and `RateLimit` as draft-ietf-httpapi-ratelimit-headers (-10) defines them: lists of
 * structured-field items named after the policy, e.g.
 *   RateLimit-Policy: "user";q=300;w=60;casebook-burst=60, "ip";q=1200;w=60
 *   RateLimit: "user";r=57;t=1, "ip";r=299
 * `t` is the seconds until another unit is available (absent when the bucket is full). The role and global
 * levels are capacity controls, not the client's quota, and are not advertised (draft §8.5).
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const policies: string[] = [];
  const limits: string[] = [];
  for (const level of decision.levels) {
    if (!level.advertise) continue;
    const burst = level.burst < level.quota ? `;casebook-burst=${level.burst}` : '';
    policies.push(`"${level.policy}";q=${level.quota};w=${level.windowSeconds}${burst}`);
    const reset = level.resetMs > 0 ? `;t=${Math.ceil(level.resetMs / 1000)}` : '';
    limits.push(`"${level.policy}";r=${level.remaining}${reset}`);
  }
  if (decision.concurrency) {
    const { limit, inFlight } = decision.concurrency;
    policies.push(`"concurrency";q=${limit};qu="concurrent-requests"`);
    limits.push(`"concurrency";r=${Math.max(0, limit - inFlight)}`);
  }
  if (policies.length === 0) return {};
  return { 'RateLimit-Policy': policies.join(', '), RateLimit: limits.join(', ') };
}

/**
 * Whole seconds a rejected client should wait: never less than the real wait, plus up to `jitterSeconds` at
 * random, so clients rejected together do not all come back in the same second (Q5.3).
 */
export function retryAfterSeconds(waitMs: number, jitterSeconds: number, random: () => number = Math.random): number {
  return Math.max(1, Math.ceil(waitMs / 1000 + random() * jitterSeconds));
}
