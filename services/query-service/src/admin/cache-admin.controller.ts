import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '@casebook/audit';
import { RequirePermission } from '@casebook/auth';
import { type EntryInfo, L2Unavailable, ratiosOf, TieredCache } from '@casebook/cache';
import { bestEffort, type Logger, LOGGER, ProblemError } from '@casebook/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { principalOf } from '../queries/scope';
import { tagsForMember } from '../queries/query-key';
import { QueryErrorCode } from '../queries/query-errors';
import { DATASET, type Dimension, WAREHOUSE_SCHEMA_VERSION } from '../warehouse/catalog';
import { DataVersions } from '../warehouse/data-versions';
import { WarmingQueue } from '../warming/warming.queue';
import {
  EntriesQueryDto,
  EntryPageDto,
  InvalidationDto,
  InvalidationResultDto,
  StatsDto,
  WarmupDto,
} from './cache-admin.dto';

/**
 * Q20.1, Q20.2: cache management for operators. Admin role only (`manage Cache`); every change is an audit
 * event (`@Audited`, made durable before the response); the reason given goes to the service log with the
 * request id. Reads never touch the request path's hot keys; prefix listing uses SCAN, never KEYS.
 */
@ApiTags('cache admin')
@ApiBearerAuth()
@Controller({ path: 'admin/cache', version: '1' })
export class CacheAdminController {
  constructor(
    @Inject(TieredCache) private readonly cache: TieredCache,
    private readonly versions: DataVersions,
    private readonly warming: WarmingQueue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get('entries')
  @RequirePermission('manage', 'Cache')
  @ApiOperation({ summary: 'List entries by key, by tag or by key prefix (metadata only, never payloads)' })
  @ApiOkResponse({ type: EntryPageDto })
  async list(@Query() query: EntriesQueryDto): Promise<EntryPageDto> {
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

  @Get('entries/:key')
  @RequirePermission('manage', 'Cache')
  @ApiOperation({ summary: 'One entry: size, codec, tags, data version, age and state' })
  async one(@Param('key') key: string): Promise<EntryInfo> {
    const info = await this.guard(() => this.cache.admin.inspect(key));
    if (!info) throw ProblemError.notFound('The cache entry');
    return info;
  }

  @Post('invalidations')
  @HttpCode(200)
  @RequirePermission('manage', 'Cache')
  @Audited({
    action: 'admin.cache.invalidated',
    details: ({ result }) => {
      const done = result as InvalidationResultDto;
      return { dataset: DATASET, keys: done.affected.count, dryRun: done.dryRun };
    },
  })
  @ApiOperation({
    summary: 'Invalidate keys, tags or dimension members (dry run reports what would be affected)',
    description:
      'Q20.3: `{"members":[{"dimension":"category","value":"electronics"}]}` invalidates every entry that may ' +
      'contain electronics (tags `category:electronics` and `category:*`) in one write per tag; nothing is scanned.',
  })
  @ApiOkResponse({ type: InvalidationResultDto })
  async invalidate(@Body() body: InvalidationDto, @Req() request: FastifyRequest): Promise<InvalidationResultDto> {
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

      const principal = principalOf(request);
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

  @Post('warmups')
  @HttpCode(202)
  @RequirePermission('manage', 'Cache')
  @Audited({
    action: 'admin.cache.warmed',
    details: ({ request }) => ({ dataset: DATASET, keys: (request.body as WarmupDto).topN }),
  })
  @ApiOperation({ summary: 'Warm the top N questions by frequency × cost now (a background job)' })
  @ApiAcceptedResponse({ description: 'Queued; poll Location.' })
  async warm(
    @Body() body: WarmupDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ id: string; state: 'queued' }> {
    const principal = principalOf(request);
    const id = await this.guard(() => this.warming.enqueue(DATASET, body.topN));
    this.logger.info({ actor: principal.id, topN: body.topN, jobId: id }, 'cache warming queued');
    void reply.header('Location', `/v1/admin/cache/warmups/${id}`);
    return { id, state: 'queued' };
  }

  @Get('warmups/:id')
  @RequirePermission('manage', 'Cache')
  @ApiOperation({ summary: 'State and report of a warming job' })
  async warmup(@Param('id') id: string): Promise<unknown> {
    const status = await this.guard(() => this.warming.status(id));
    if (!status) throw ProblemError.notFound('The warming job');
    return status;
  }

  @Get('stats')
  @RequirePermission('manage', 'Cache')
  @ApiOperation({ summary: 'Hit ratio per tier, stale answers, collapses and warehouse time saved (Q17.1, Q17.4)' })
  @ApiOkResponse({ type: StatsDto })
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
          status: 503,
          code: QueryErrorCode.CacheUnavailable,
          detail: 'The cache store (Redis) is unavailable; retry later.',
          headers: { 'Retry-After': '5' },
        });
      }
      throw error;
    }
  }
}
