import type { RateSpec } from '../config';
import type { GcraParams } from './gcra';

/** The levels a request can be checked at (Q5.4). */
export type LevelName = 'user' | 'ip' | 'role' | 'global';

/** Who is limited: a user, an API key, a service, or anything else with a stable id (e.g. a login e-mail hash). */
export interface RateLimitSubject {
  kind: string;
  id: string;
  /** Roles as granted; the highest one that maps to a tier picks the tier (Q5.2). */
  roles?: readonly string[];
}

export interface RateLimitRequest {
  /** Route policy name (`@RateLimit('chat:send')`); `default` when omitted. */
  route?: string;
  /** The caller; without one the request is limited by IP (and globally). */
  subject?: RateLimitSubject;
  /** Client IP (see `ClientIpResolver`). */
  ip?: string;
  /** Units this request consumes, overriding the route's cost. 0 only reads the state. */
  cost?: number;
}

/** One level of a planned check; shared by every request of the same route, tier and cost. */
export interface PlannedLevel {
  level: LevelName;
  /** Name in the `RateLimit-Policy` and `RateLimit` headers. */
  policy: string;
  rate: RateSpec;
  /** Split across hash-tag shards on Redis (role and global levels). */
  sharded: boolean;
  /** Slowed down by the partition owner's penalty. */
  penalizable: boolean;
  /** Shown to clients in the headers; capacity levels (role, global) are not (draft §8.5). */
  advertise: boolean;
  /** One key per shard and tier at most (role, global): kept without expiry, written in one MSET. */
  bounded: boolean;
  /** Its GCRA parameters on Redis (the rate ÷ shards for a sharded level), before any penalty. */
  redis: GcraParams;
}

/** Everything one check needs, with every key under one hash tag. */
export interface CheckPlan {
  route: string;
  cost: number;
  tier: string | undefined;
  penaltyKey: string;
  inflightKey: string;
  levels: readonly PlannedLevel[];
  /** One key per level, in the same order. */
  keys: string[];
  concurrency: { limit: number; leaseMs: number } | undefined;
  /** 1-based index of the level the partition's penalty applies to; 0 for none. */
  owner: number;
  /** The script's per-level arguments (interval, capacity, expiry), computed once per route, tier and cost. */
  scriptArgs: readonly string[];
}

/** What a backend returns for a plan, before it is turned into a decision. */
export interface RawOutcome {
  allowed: boolean;
  penalty: number;
  inFlight: number;
  busy: boolean;
  levels: { remaining: number; resetUs: number; waitUs: number }[];
}

export type Backend = 'redis' | 'memory';

export interface LevelOutcome {
  level: LevelName;
  policy: string;
  advertise: boolean;
  /** Units per window for this principal now (after penalty and, in the fallback, ÷ instances). */
  quota: number;
  windowSeconds: number;
  burst: number;
  remaining: number;
  /** Milliseconds until one more unit is available; 0 when the bucket is full. */
  resetMs: number;
  /** Milliseconds until this level would admit the request; 0 when it admits it. */
  waitMs: number;
}

/** A slot held by an admitted request on a route with a concurrency limit; give it back with `release`. */
export interface Lease {
  key: string;
  token: string;
  backend: Backend;
}

export interface RateLimitDecision {
  allowed: boolean;
  backend: Backend;
  route: string;
  cost: number;
  tier: string | undefined;
  /** The real wait before this request would be admitted, without jitter; 0 when allowed. */
  retryAfterMs: number;
  /** Levels that rejected (`concurrency` when no in-flight slot was free). */
  rejectedBy: string[];
  penalty: number;
  levels: LevelOutcome[];
  concurrency: { limit: number; inFlight: number; busy: boolean } | undefined;
  lease: Lease | undefined;
}
