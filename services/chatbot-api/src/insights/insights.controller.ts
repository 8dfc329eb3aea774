import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '@casebook/audit';
import { Access, type AccessContext, RequirePermission } from '@casebook/auth';
import { RateLimit } from '@casebook/rate-limit';
import { type Page, PageQueryDto } from '@casebook/platform';
import { IsUUID } from 'class-validator';
import type { InsightRow } from './insights.repository';
import { InsightsService } from './insights.service';

class InsightParams {
  @IsUUID()
  id!: string;
}

@ApiTags('insights')
@ApiBearerAuth()
@Controller({ path: 'insights', version: '1' })
export class InsightsController {
  constructor(private readonly insights: InsightsService) {}

  @Get()
  @RequirePermission('read', 'Insight', { scoped: true })
  @Audited({ action: 'insight.listed' })
  @RateLimit('list')
  @ApiOperation({ summary: 'Insights the caller may read (region-scoped for analysts)' })
  async list(@Query() page: PageQueryDto, @Access() access: AccessContext): Promise<Page<InsightRow>> {
    return this.insights.list(access, page);
  }

  @Get(':id')
  @RequirePermission('read', 'Insight', { scoped: true })
  @Audited({ action: 'insight.read', resource: { type: 'insight', idParam: 'id' } })
  @ApiOperation({ summary: 'One insight; 403 when it belongs to a region the caller may not read' })
  async get(@Param() params: InsightParams, @Access() access: AccessContext): Promise<InsightRow> {
    return this.insights.get(access, params.id);
  }
}
