import {
  DEFAULT_ROUTE,
  type RateLimitOptions,
  type RateSpec,
  type RoutePolicy,
  routePolicySchema,
  type TierOptions,
} from '../config';
import { gcraParams } from './gcra';
import type { CheckPlan, LevelName, PlannedLevel, RateLimitRequest, RateLimitSubject } from './types';

/** FNV-1a, 32 bit: a stable, cheap spread of partitions over shards. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Key layout (ADR 0006): `<prefix>:{<shard>}:…`. Every key of one request carries the shard tag of the request's
 * partition (its subject, or its IP when anonymous), so the whole check is one Lua call in one Redis Cluster
 * slot. The partition's own keys (its level, penalty, in-flight set) are therefore exact; the role and global
 * levels exist once per shard, each with 1/shards of the rate.
 */
export class KeySpace {
  constructor(
    readonly prefix: string,
    readonly shards: number,
  ) {}

  partitionOf(subject: RateLimitSubject | undefined, ip: string | undefined): string {
    if (subject) return `${subject.kind}:${subject.id}`;
    return ip ? `ip:${ip}` : 'anonymous';
  }

  tagOf(partition: string): string {
    const shard = this.shards === 1 ? 0 : fnv1a(partition) % this.shards;
    return `${this.prefix}:{${shard}}`;
  }

  level(tag: string, bucket: string, level: LevelName, id: string): string {
    return id ? `${tag}:${bucket}:${level}:${id}` : `${tag}:${bucket}:${level}`;
  }

  penalty(tag: string, partition: string): string {
    return `${tag}:penalty:${partition}`;
  }

  inflight(tag: string, partition: string): string {
    return `${tag}:inflight:${partition}`;
  }
}

const DEFAULT_ROUTE_POLICY = routePolicySchema.parse({});

/** Turns a request into the levels that apply to it, from the options (tiers, routes, IP and global rates). */
export class Planner {
  readonly keys: KeySpace;
  private readonly tierByRole = new Map<string, TierOptions>();
  private readonly templates = new Map<string, Template>();
  private readonly defaultTier: TierOptions;

  constructor(private readonly options: RateLimitOptions) {
    this.keys = new KeySpace(options.prefix, options.shards);
    // Q5.2: tiers are listed highest first; the first tier a role maps to wins.
    for (const tier of [...options.tiers].reverse()) {
      for (const role of [tier.name, ...tier.roles]) this.tierByRole.set(role, tier);
    }
    this.defaultTier = options.tiers.find((tier) => tier.name === options.defaultTier)!;
  }

  route(name: string): RoutePolicy {
    const route = this.options.routes[name];
    if (route) return route;
    if (name === DEFAULT_ROUTE) return DEFAULT_ROUTE_POLICY;
    throw new Error(`Unknown rate-limit route policy '${name}'; declare it in the options' routes`);
  }

  tierOf(subject: RateLimitSubject | undefined): TierOptions {
    let best: TierOptions | undefined;
    let bestRank = Infinity;
    for (const role of subject?.roles ?? []) {
      const tier = this.tierByRole.get(role);
      if (!tier) continue;
      const rank = this.options.tiers.indexOf(tier);
      if (rank < bestRank) [best, bestRank] = [tier, rank];
    }
    return best ?? this.defaultTier;
  }

  plan(request: RateLimitRequest): CheckPlan {
    const routeName = request.route ?? DEFAULT_ROUTE;
    const route = this.route(routeName);
    const cost = request.cost ?? route.cost;
    if (!Number.isInteger(cost) || cost < 0) throw new Error(`Rate-limit cost must be a non-negative integer: ${cost}`);
    const { subject } = request;
    const ip = request.ip || undefined;
    const tier = subject ? this.tierOf(subject) : undefined;
    const template = this.template(routeName, route, tier, cost, subject !== undefined, ip !== undefined);
    const partition = this.keys.partitionOf(subject, ip);
    const tag = this.keys.tagOf(partition);
    const keys = template.levels.map((level) => {
      const id =
        level.level === 'user' ? partition : level.level === 'ip' ? ip! : level.level === 'role' ? tier!.name : '';
      return this.keys.level(tag, route.bucket, level.level, id);
    });
    return {
      route: routeName,
      cost,
      tier: tier?.name,
      penaltyKey: this.keys.penalty(tag, partition),
      inflightKey: this.keys.inflight(tag, partition),
      levels: template.levels,
      keys,
      concurrency: template.concurrency,
      owner: template.owner,
      scriptArgs: template.scriptArgs,
    };
  }

  /** The levels and script arguments that depend only on route, tier, cost and which identifiers are known. */
  private template(
    routeName: string,
    route: RoutePolicy,
    tier: TierOptions | undefined,
    cost: number,
    hasSubject: boolean,
    hasIp: boolean,
  ): Template {
    const cacheKey = `${routeName}\n${tier?.name ?? ''}\n${cost}\n${hasSubject ? 1 : 0}${hasIp ? 1 : 0}`;
    const cached = this.templates.get(cacheKey);
    if (cached) return cached;

    const name = (level: string) => (route.bucket === DEFAULT_ROUTE ? level : `${route.bucket}-${level}`);
    const levels: PlannedLevel[] = [];
    const add = (
      level: LevelName,
      rate: RateSpec,
      flags: Pick<PlannedLevel, 'sharded' | 'penalizable' | 'advertise'>,
    ) =>
      levels.push({
        level,
        policy: name(level),
        rate,
        ...flags,
        bounded: flags.sharded,
        redis: gcraParams(rate, cost, flags.sharded ? this.options.shards : 1),
      });

    if (hasSubject && tier && route.user !== false) {
      add('user', route.user === 'tier' ? tier.rate : route.user, {
        sharded: false,
        penalizable: true,
        advertise: true,
      });
    }
    const ipRate = route.ip === undefined ? this.options.ip : route.ip;
    // Anonymous callers are partitioned by IP, so their IP level is exact and carries their penalty.
    if (hasIp && ipRate) add('ip', ipRate, { sharded: false, penalizable: !hasSubject, advertise: true });
    if (hasSubject && tier?.aggregate && route.role) {
      add('role', tier.aggregate, { sharded: true, penalizable: false, advertise: false });
    }
    const globalRate = route.global === undefined ? this.options.global : route.global;
    if (globalRate) add('global', globalRate, { sharded: true, penalizable: false, advertise: false });

    const concurrencyLimit =
      route.concurrency === false
        ? 0
        : route.concurrency === true
          ? (tier ?? this.defaultTier).concurrency
          : route.concurrency;
    const template: Template = {
      levels,
      owner: levels.findIndex((level) => level.penalizable) + 1,
      concurrency:
        concurrencyLimit > 0 ? { limit: concurrencyLimit, leaseMs: this.options.concurrencyLeaseMs } : undefined,
      // An admitted TAT is at most capacity × interval ahead of now, so that expiry always outlives it.
      scriptArgs: levels.flatMap((level) => [
        String(level.redis.intervalUs),
        String(level.redis.capacity),
        level.bounded ? '0' : String(Math.ceil((level.redis.capacity * level.redis.intervalUs) / 1000) + 1),
      ]),
    };
    this.templates.set(cacheKey, template);
    return template;
  }
}

interface Template {
  levels: PlannedLevel[];
  owner: number;
  concurrency: CheckPlan['concurrency'];
  scriptArgs: string[];
}
