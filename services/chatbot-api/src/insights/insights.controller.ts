import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, type AccessContext, forbidden, RequirePermission } from '@casebook/auth';
import { RateLimit } from '@casebook/rate-limit';
import { decodeCursor, type Page, PageQueryDto, ProblemError, toPage } from '@casebook/platform';
import { IsUUID } from 'class-validator';
import { type InsightRow, InsightsRepository } from './insights.repository';

class InsightParams {
  @IsUUID()
  id!: string;
}

@ApiTags('insights')
@ApiBearerAuth()
@Controller({ path: 'insights', version: '1' })
export class InsightsController {
  constructor(private readonly insights: InsightsRepository) {}

  @Get()
  @RequirePermission('read', 'Insight', { scoped: true })
  @RateLimit('list')
  @ApiOperation({ summary: 'Insights the caller may read (region-scoped for analysts)' })
  async list(@Query() page: PageQueryDto, @Access() access: AccessContext): Promise<Page<InsightRow>> {
    const after = page.cursor ? String(decodeCursor(page.cursor, ['id']).id) : null;
    const rows = await this.insights.list(access, after, page.limit);
    return toPage(rows, page.limit, (row) => ({ id: row.id }));
  }

  @Get(':id')
  @RequirePermission('read', 'Insight', { scoped: true })
  @ApiOperation({ summary: 'One insight; 403 when it belongs to a region the caller may not read' })
  async get(@Param() params: InsightParams, @Access() access: AccessContext): Promise<InsightRow> {
    const { insight, exists } = await this.insights.findById(access, params.id);
    if (!exists) throw ProblemError.notFound('Insight');
    if (!insight) throw forbidden();
    return insight;
  }
}
