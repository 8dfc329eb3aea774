import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '@casebook/audit';
import { CurrentPrincipal, type Principal, RequirePermission } from '@casebook/auth';
import type { EntryInfo } from '@casebook/cache';
import { sendReply, AuditExempt } from '@casebook/platform';
import type { FastifyReply } from 'fastify';
import { DATASET } from '../warehouse/catalog';
import {
  EntriesQueryDto,
  EntryPageDto,
  InvalidationDto,
  InvalidationResultDto,
  StatsDto,
  WarmupDto,
} from './cache-admin.dto';
import { CacheAdminService } from './cache-admin.service';

/**
 * Q20.1, Q20.2: cache management for operators. Admin role only (`manage Cache`); every change is an audit
 * event (`@Audited`, made durable before the response); the reason given goes to the service log with the
 * request id. Reads never touch the request path's hot keys; prefix listing uses SCAN, never KEYS.
 */
@ApiTags('cache admin')
@ApiBearerAuth()
@Controller({ path: 'admin/cache', version: '1' })
export class CacheAdminController {
  constructor(private readonly admin: CacheAdminService) {}

  @AuditExempt('cache metadata for operators (keys, sizes, ages); changes to the cache are @Audited')
  @Get('entries')
  @RequirePermission('manage', 'Cache')
  @ApiOperation({ summary: 'List entries by key, by tag or by key prefix (metadata only, never payloads)' })
  @ApiOkResponse({ type: EntryPageDto })
  async list(@Query() query: EntriesQueryDto): Promise<EntryPageDto> {
    return this.admin.list(query);
  }

  @AuditExempt('cache metadata for operators (keys, sizes, ages); changes to the cache are @Audited')
  @Get('entries/:key')
  @RequirePermission('manage', 'Cache')
  @ApiOperation({ summary: 'One entry: size, codec, tags, data version, age and state' })
  async one(@Param('key') key: string): Promise<EntryInfo> {
    return this.admin.entry(key);
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
  async invalidate(
    @Body() body: InvalidationDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<InvalidationResultDto> {
    return this.admin.invalidate(body, principal);
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
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ id: string; state: 'queued' }> {
    return sendReply(reply, await this.admin.warm(body, principal));
  }

  @AuditExempt('the progress of a warm-up job; starting one is @Audited')
  @Get('warmups/:id')
  @RequirePermission('manage', 'Cache')
  @ApiOperation({ summary: 'State and report of a warming job' })
  async warmup(@Param('id') id: string): Promise<unknown> {
    return this.admin.warmup(id);
  }

  @AuditExempt('cache counters for operators, no personal data')
  @Get('stats')
  @RequirePermission('manage', 'Cache')
  @ApiOperation({ summary: 'Hit ratio per tier, stale answers, collapses and warehouse time saved (Q17.1, Q17.4)' })
  @ApiOkResponse({ type: StatsDto })
  async stats(): Promise<StatsDto> {
    return this.admin.stats();
  }
}
