import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendReply, AuditExempt, AuditedInService } from '@casebook/platform';
import { RequirePermission } from '../../authorization/require-permission.decorator';
import { authEventContext } from '../../events/auth-events';
import type { Principal } from '../../principal';
import { CurrentPrincipal } from '../current.decorators';
import { UserApiKeysService } from '../services/user-api-keys.service';
import { CreateApiKeyDto, IdParams } from './dto';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller({ path: 'api-keys', version: '1' })
export class ApiKeysController {
  constructor(private readonly keys: UserApiKeysService) {}

  @AuditedInService("admin.api_key.created, in the change's own transaction")
  @Post()
  @RequirePermission('create', 'ApiKey')
  @ApiOperation({ summary: 'Create an API key for server-to-server calls (the key is shown once)' })
  async create(
    @Body() body: CreateApiKeyDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendReply(reply, await this.keys.create(principal, body, authEventContext(request)));
  }

  @AuditExempt("the caller's own API keys: ids, names and scopes, never a secret")
  @Get()
  @RequirePermission('read', 'ApiKey')
  list(@CurrentPrincipal() principal: Principal) {
    return this.keys.list(principal);
  }

  @AuditedInService("admin.api_key.revoked, in the change's own transaction")
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('delete', 'ApiKey')
  revoke(
    @Param() params: IdParams,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.keys.revoke(principal, params.id, authEventContext(request));
  }
}
