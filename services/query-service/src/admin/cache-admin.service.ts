import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@casebook/auth';
import { type EntryInfo, L2Unavailable, ratiosOf, TieredCache } from '@casebook/cache';
import { bestEffort, type HttpReply, type Logger, LOGGER, ProblemError } from '@casebook/platform';
import { tagsForMember } from '../queries/query-key';
import { QueryErrorCode } from '../queries/query-errors';
import { DATASET, type Dimension, WAREHOUSE_SCHEMA_VERSION } from '../warehouse/catalog';
import { DataVersions } from '../warehouse/data-versions';
import { WarmingQueue } from '../warming/warming.queue';
import type {
  EntriesQueryDto,
  EntryPageDto,
  InvalidationDto,
  InvalidationResultDto,
  StatsDto,
  WarmupDto,
} from './cache-admin.dto';

/**
 * Q20.1, Q20.2: what the cache admin API does. Reads never touch the request path's hot keys; prefix
 * listing uses SCAN, never KEYS; every change is logged with who made it and why. A Redis outage is a
 * 503 `CACHE_UNAVAILABLE`, not a 500.
 */
@Injectable()
export class CacheAdminService {
  constructor(
    @Inject(TieredCache) private readonly cache: TieredCache,
    private readonly versions: DataVersions,
    private readonly warming: WarmingQueue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async list(query: EntriesQueryDto): Promise<EntryPageDto> {
    const selectors = [query.key, query.tag, query.prefix].filter((s) => s !== undefined);
    if (selectors.length !== 1) {
      throw ProblemError.validation([{ field: 'key', in: 'query', message: 'give exactly one of key, tag or prefix' }]);
    }
    return this.guard(async () => {
      if (query.key !== undefined) {
        const info = await this.cache.admin.inspect(query.key);
        return { data: info ? [info] : [], nextCursor: null };
      }
      if (query.tag !== undefined) {
        const keys = await this.cache.admin.keysForTag(query.tag, query.limit);
        return { data: await this.inspectAll(keys), nextCursor: null };
      }
      const page = await this.cache.admin.scanPrefix(query.prefix!, query.cursor ?? '0', query.limit);
      return { data: await this.inspectAll(page.keys), nextCursor: page.cursor === '0' ? null : page.cursor };
    });
  }

  async entry(key: string): Promise<EntryInfo> {
    const info = await this.guard(() => this.cache.admin.inspect(key));
    if (!info) throw ProblemError.notFound('The cache entry');
    return info;
  }

  async invalidate(body: InvalidationDto, principal: Principal): Promise<InvalidationResultDto> {
    const keys = body.keys ?? [];
    const tags = [
      ...new Set([
        ...(body.tags ?? []),
        ...(body.members ?? []).flatMap((m) => tagsForMember(m.dimension as Dimension, m.value)),
      ]),
    ];
    if (keys.length + tags.length === 0) {
      throw ProblemError.validation([{ field: 'keys', in: 'body', message: 'give keys, tags or members' }]);
    }
    return this.guard(async () => {
      const affectedKeys = new Set(keys);
      for (const tag of tags) for (const key of await this.cache.admin.keysForTag(tag, 10_000)) affectedKeys.add(key);
      const affected = { count: affectedKeys.size, sample: [...affectedKeys].slice(0, 20) };
      if (body.dryRun) return { dryRun: true, keys, tags, affected };

      const deleted = await Promise.all(keys.map((key) => this.cache.delete(key)));
      const invalidated = await this.cache.invalidateTags(tags);
      this.logger.info(
        { actor: principal.id, kind: principal.kind, keys, tags, reason: body.reason },
        'cache invalidated',
      );
      return {
        dryRun: false,
        keys,
        tags,
        affected,
        deletedKeys: deleted.filter(Boolean).length,
        invalidatedAt:
          invalidated.length > 0 ? new Date(Math.max(...invalidated.map((t) => t.invalidatedAt))).toISOString() : null,
      };
    });
  }

  /** Queues a warming job; 202 with the job's `Location`. */
  async warm(body: WarmupDto, principal: Principal): Promise<HttpReply<{ id: string; state: 'queued' }>> {
    const id = await this.guard(() => this.warming.enqueue(DATASET, body.topN));
    this.logger.info({ actor: principal.id, topN: body.topN, jobId: id }, 'cache warming queued');
    return { status: 202, headers: { Location: `/v1/admin/cache/warmups/${id}` }, body: { id, state: 'queued' } };
  }

  async warmup(id: string): Promise<unknown> {
    const status = await this.guard(() => this.warming.status(id));
    if (!status) throw ProblemError.notFound('The warming job');
    return status;
  }

  async stats(): Promise<StatsDto> {
    const instance = this.cache.localStats();
    const fleet = await bestEffort(this.cache.fleetStats(), 'cache.fleet-stats', null);
    const describe = (s: typeof instance) => ({
      ...s,
      ...ratiosOf(s),
      warehouseQueries: s.loads + s.loadErrors,
      warehouseSecondsSaved: Math.round(s.savedMs) / 1000,
    });
    return {
      schemaVersion: WAREHOUSE_SCHEMA_VERSION,
      dataVersion: this.versions.versionOf(DATASET),
      l1: this.cache.l1Stats,
      l2Usable: this.cache.l2Usable,
      instance: describe(instance),
      fleet: fleet ? describe(fleet) : null,
    };
  }

  private async inspectAll(keys: string[]): Promise<EntryInfo[]> {
    const infos = await Promise.all(keys.map((key) => this.cache.admin.inspect(key)));
    return infos.filter((info): info is EntryInfo => info !== null);
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof L2Unavailable) {
        throw new ProblemError({
          code: QueryErrorCode.CacheUnavailable,
          detail: 'The cache store (Redis) is unavailable; retry later.',
          headers: { 'Retry-After': '5' },
        });
      }
      throw error;
    }
  }
}
