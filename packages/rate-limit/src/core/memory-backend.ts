import { gcraOutcome, gcraParams, gcraStep, penalized } from './gcra';
import type { CheckPlan, RawOutcome } from './types';

/**
 * The per-instance limiter used while Redis is unreachable or too slow. It runs the same GCRA on this
 * process's clock with every rate divided by the number of instances, so the fleet as a whole stays near the
 * configured limits without any shared state. Bounded: past `maxKeys` the expired buckets are dropped first,
 * then the oldest (forgetting a bucket only ever admits more, never blocks a client for good).
 */
export class MemoryBackend {
  private readonly tats = new Map<string, number>();
  private readonly leases = new Map<string, Map<string, number>>();
  private readonly penalties = new Map<string, { factor: number; untilMs: number }>();

  constructor(
    readonly instances: number,
    private readonly maxKeys = 100_000,
  ) {}

  evaluate(plan: CheckPlan, nowMs: number, token: string): RawOutcome {
    const nowUs = Math.floor(nowMs * 1000);
    const penalty = this.penaltyOf(plan.penaltyKey, nowMs);
    const steps = plan.levels.map((level, i) => {
      const base = gcraParams(level.rate, plan.cost, this.instances);
      const params = level.penalizable ? penalized(base, penalty, plan.cost) : base;
      const key = plan.keys[i]!;
      return { key, params, step: gcraStep(this.tats.get(key), nowUs, params, plan.cost) };
    });
    let allowed = steps.every(({ step }) => step.waitUs === 0);

    let inFlight = 0;
    let busy = false;
    if (plan.concurrency) {
      const limit = Math.max(1, Math.floor(plan.concurrency.limit / this.instances));
      const held = this.leases.get(plan.inflightKey) ?? new Map<string, number>();
      for (const [heldToken, expiresAt] of held) if (expiresAt <= nowMs) held.delete(heldToken);
      inFlight = held.size;
      if (allowed) {
        if (inFlight >= limit) {
          allowed = false;
          busy = true;
        } else {
          held.set(token, nowMs + plan.concurrency.leaseMs);
          this.leases.set(plan.inflightKey, held);
          inFlight += 1;
        }
      }
      if (held.size === 0) this.leases.delete(plan.inflightKey);
    }

    if (allowed) {
      for (const { key, step } of steps) {
        if (step.admittedTat > nowUs) {
          this.tats.delete(key); // re-inserted at the end: insertion order is the eviction order
          this.tats.set(key, step.admittedTat);
        }
      }
      if (this.tats.size > this.maxKeys) this.evict(nowUs);
    }
    return {
      allowed,
      penalty,
      inFlight,
      busy,
      levels: steps.map(({ params, step }) => {
        // gcraStep's TAT before admission is the admitted one minus the cost.
        const tat = allowed ? step.admittedTat : step.admittedTat - plan.cost * params.intervalUs;
        return gcraOutcome(tat, nowUs, params, plan.cost, allowed);
      }),
    };
  }

  release(key: string, token: string): void {
    const held = this.leases.get(key);
    held?.delete(token);
    if (held?.size === 0) this.leases.delete(key);
  }

  /** Penalties are recorded here too, so a fallback period still honours the recent ones. */
  penalize(key: string, factor: number, ttlMs: number, nowMs: number): number {
    const current = this.penalties.get(key);
    const live = current && current.untilMs > nowMs ? current : undefined;
    const next = { factor: Math.max(factor, live?.factor ?? 0), untilMs: Math.max(nowMs + ttlMs, live?.untilMs ?? 0) };
    this.penalties.set(key, next);
    return next.factor;
  }

  clearPenalty(key: string): void {
    this.penalties.delete(key);
  }

  private penaltyOf(key: string, nowMs: number): number {
    const penalty = this.penalties.get(key);
    if (!penalty) return 1;
    if (penalty.untilMs <= nowMs) {
      this.penalties.delete(key);
      return 1;
    }
    return Math.max(1, penalty.factor);
  }

  private evict(nowUs: number): void {
    for (const [key, tat] of this.tats) if (tat <= nowUs) this.tats.delete(key);
    const excess = this.tats.size - Math.floor(this.maxKeys * 0.9);
    if (excess <= 0) return;
    let dropped = 0;
    for (const key of this.tats.keys()) {
      if (dropped >= excess) break;
      this.tats.delete(key);
      dropped += 1;
    }
  }
}
