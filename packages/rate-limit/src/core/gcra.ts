import type { RateSpec } from '../config';

/**
 * GCRA (generic cell rate algorithm) as the Lua script runs it, for the in-memory fallback and for reading.
 * State per key is one number, the theoretical arrival time (TAT) in microseconds: the moment the bucket
 * would be full again. Units come back one every `intervalUs`, continuously — there is no window boundary,
 * so no instant where every client's quota resets at once (Q5.3). All arithmetic is on integers.
 */
export interface GcraParams {
  /** Microseconds per unit: window ÷ limit. */
  intervalUs: number;
  /** Units admitted back to back from a full bucket. */
  capacity: number;
}

/**
 * The parameters of a level for one backend: `divisor` splits the rate (shards on Redis Cluster, instances in the
 * in-memory fallback); the capacity never drops below one request's cost.
 */
export function gcraParams(rate: RateSpec, cost: number, divisor = 1): GcraParams {
  const burst = rate.burst ?? rate.limit;
  return {
    intervalUs: Math.max(1, Math.round((rate.windowSeconds * 1_000_000) / rate.limit) * divisor),
    capacity: Math.max(cost, 1, Math.floor(burst / divisor)),
  };
}

/** A penalty ≥ 1 slows a level down: a longer interval, a smaller burst (never below the cost). As in the script. */
export function penalized(params: GcraParams, penalty: number, cost: number): GcraParams {
  if (!(penalty > 1)) return params;
  return {
    intervalUs: Math.floor(params.intervalUs * penalty),
    capacity: Math.max(cost, Math.floor(params.capacity / penalty)),
  };
}

export interface GcraStep {
  /** Microseconds until this level would admit the request; 0 when it admits now. */
  waitUs: number;
  /** TAT after admitting; the caller stores it only when every level admits. */
  admittedTat: number;
}

export function gcraStep(storedTat: number | undefined, nowUs: number, params: GcraParams, cost: number): GcraStep {
  const tat = storedTat !== undefined && storedTat > nowUs ? storedTat : nowUs;
  const admittedTat = tat + cost * params.intervalUs;
  const wait = admittedTat - params.capacity * params.intervalUs - nowUs;
  return { waitUs: wait > 0 ? wait : 0, admittedTat };
}

export interface GcraState {
  /** Whole units available now. */
  remaining: number;
  /** Microseconds until one more unit is available; 0 when the bucket is full. */
  resetUs: number;
}

/** What a TAT means at `nowUs`: remaining units and the time to the next one. */
export function gcraState(tat: number, nowUs: number, params: GcraParams): GcraState {
  const headroom = nowUs + params.capacity * params.intervalUs - Math.max(tat, nowUs);
  if (headroom < 0) return { remaining: 0, resetUs: params.intervalUs - headroom }; // a penalty shrank the bucket
  const remaining = Math.min(params.capacity, Math.floor(headroom / params.intervalUs));
  const resetUs = remaining >= params.capacity ? 0 : params.intervalUs - (headroom % params.intervalUs);
  return { remaining, resetUs };
}

/** A level's outcome from its TAT as the script returns it (the new TAT when admitted, else the current one). */
export function gcraOutcome(
  tat: number,
  nowUs: number,
  params: GcraParams,
  cost: number,
  admitted: boolean,
): { remaining: number; resetUs: number; waitUs: number } {
  const { remaining, resetUs } = gcraState(tat, nowUs, params);
  const wait = admitted ? 0 : tat + (cost - params.capacity) * params.intervalUs - nowUs;
  return { remaining, resetUs, waitUs: wait > 0 ? wait : 0 };
}
