import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, RequirePermission } from '@casebook/auth';
import { sendReply, AuditExempt } from '@casebook/platform';
import type { FastifyReply } from 'fastify';
import { AskService, type StillRunning } from './ask.service';
import { QueryAnswerDto, QueryRequestDto } from './queries.dto';

@ApiTags('queries')
@ApiBearerAuth()
@Controller({ path: 'queries', version: '1' })
export class QueriesController {
  constructor(private readonly asking: AskService) {}

  @AuditExempt(
    "aggregate analytics answers within the caller's scope, no personal data; refusals are recorded as authz.denied",
  )
  @Post()
  @HttpCode(200)
  @RequirePermission('query', 'Warehouse', { scoped: true })
  @ApiOperation({
    summary: 'Answer an analytics question (or a canonical query) from the cache or the warehouse',
    description:
      'Scoped to what the caller may see (region from the token, or from the user a service token acts for). ' +
      'Every answer carries `Cache-Status` (RFC 9211). With `Prefer: respond-async`, a slow answer returns 202 ' +
      'and keeps computing; repeat the request after `Retry-After`.',
  })
  @ApiHeader({ name: 'Prefer', required: false, description: '`respond-async` to get 202 instead of waiting.' })
  @ApiOkResponse({ type: QueryAnswerDto })
  @ApiAcceptedResponse({ description: 'Still computing; retry after Retry-After seconds.' })
  async ask(
    @Body() body: QueryRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('prefer') prefer?: string,
  ): Promise<QueryAnswerDto | StillRunning> {
    return sendReply(reply, await this.asking.ask(body, principal, prefer));
  }
}
