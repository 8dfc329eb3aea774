import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '@casebook/audit';
import { CurrentPrincipal, type Principal, RequirePermission } from '@casebook/auth';
import type { PreviewDiff } from '@casebook/moderation';
import { AuditExempt, type Page, PageQueryDto } from '@casebook/platform';
import { CreateRuleSetVersionDto, PreviewDto, PublishDto, VersionParams } from './rule-sets.dto';
import { type RuleSetVersionView, RuleSetsService } from './rule-sets.service';

const changed = ({ result }: { result: unknown }) => {
  const version = result as { id?: string; state?: string } | null;
  return { version: Number(version?.id ?? 0), state: version?.state };
};

@ApiTags('rule-sets')
@ApiBearerAuth()
@Controller({ path: 'rule-sets', version: '1' })
export class RuleSetsController {
  constructor(private readonly ruleSets: RuleSetsService) {}

  @Post()
  @RequirePermission('create', 'RuleSet')
  @Audited({ action: 'admin.rules.changed', details: changed })
  @ApiOperation({
    summary: 'Store a draft of the whole policy; 422 names every rule and pattern that does not compile',
  })
  create(@Body() body: CreateRuleSetVersionDto, @CurrentPrincipal() principal: Principal): Promise<RuleSetVersionView> {
    return this.ruleSets.createDraft(body, principal.id);
  }

  @Get()
  @RequirePermission('read', 'RuleSet')
  @AuditExempt('rule-set versions: policy text, no personal data')
  @ApiOperation({ summary: 'Versions, newest first' })
  list(@Query() page: PageQueryDto): Promise<Page<RuleSetVersionView>> {
    return this.ruleSets.list(page);
  }

  @Get(':id')
  @RequirePermission('read', 'RuleSet')
  @AuditExempt('a rule-set version: policy text, no personal data')
  get(@Param() params: VersionParams): Promise<RuleSetVersionView> {
    return this.ruleSets.get(params.id);
  }

  @Post(':id/preview')
  @HttpCode(200)
  @RequirePermission('read', 'RuleSet')
  @AuditExempt('verdicts on samples the caller sends, compared between two versions; nothing is stored')
  @ApiOperation({ summary: 'What this version would decide on the samples, beside the active version' })
  preview(@Param() params: VersionParams, @Body() body: PreviewDto): Promise<PreviewDiff> {
    return this.ruleSets.preview(params.id, body.samples);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @RequirePermission('update', 'RuleSet')
  @Audited({ action: 'admin.rules.changed', details: changed })
  @ApiOperation({ summary: 'Publish as active (or shadow); rolling back is publishing an earlier version' })
  publish(@Param() params: VersionParams, @Body() body: PublishDto): Promise<RuleSetVersionView> {
    return this.ruleSets.publish(params.id, body.as);
  }
}
