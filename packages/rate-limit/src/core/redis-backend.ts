import { gcraOutcome, penalized } from './gcra';
import { CHECK_SCRIPT, LuaScript, PENALIZE_SCRIPT, type RedisClient } from './scripts';
import type { CheckPlan, RawOutcome } from './types';

const check = new LuaScript(CHECK_SCRIPT);
const penalize = new LuaScript(PENALIZE_SCRIPT);

/** Turns the script's reply (see `CHECK_SCRIPT`) into per-level outcomes with the same arithmetic as the script. */
function decode(reply: number[], plan: CheckPlan): RawOutcome {
  const allowed = reply[0] === 1;
  const penalty = Math.max(1, reply[1]! / 1000);
  const nowUs = reply[4]!;
  return {
    allowed,
    penalty,
    inFlight: reply[2]!,
    busy: reply[3] === 1,
    levels: plan.levels.map((level, i) =>
      gcraOutcome(
        reply[5 + i]!,
        nowUs,
        level.penalizable ? penalized(level.redis, penalty, plan.cost) : level.redis,
        plan.cost,
        allowed,
      ),
    ),
  };
}

/** The shared limiter: one `EVALSHA` per request, whatever the number of levels. */
export class RedisBackend {
  constructor(private readonly redis: RedisClient) {}

  evaluate(plan: CheckPlan, token: string): Promise<RawOutcome> {
    const keys = [plan.penaltyKey, plan.inflightKey, ...plan.keys];
    const args = [
      plan.cost,
      plan.concurrency?.limit ?? 0,
      plan.concurrency?.leaseMs ?? 0,
      token,
      plan.owner,
      ...plan.scriptArgs,
    ];
    return check.run(this.redis, keys, args).then((reply) => decode(reply as number[], plan));
  }

  async release(key: string, token: string): Promise<void> {
    await this.redis.zrem(key, token);
  }

  async penalize(key: string, factor: number, ttlMs: number): Promise<number> {
    return Number(await penalize.run(this.redis, [key], [factor, ttlMs]));
  }

  async clearPenalty(key: string): Promise<void> {
    await this.redis.del(key);
  }
}
