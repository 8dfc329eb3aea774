import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ProblemError } from '@casebook/platform';
import { ApiKeys } from '../../api-keys/api-keys';
import { RequirePermission } from '../../authorization/require-permission.decorator';
import type { Principal } from '../../principal';
import { CurrentPrincipal } from '../current.decorators';
import { CreateApiKeyDto, IdParams } from './dto';

function userOf(principal: Principal): string {
  if (principal.kind !== 'user')
    throw new ProblemError({ status: 403, code: 'AUTH_FORBIDDEN', detail: 'API keys are managed by users.' });
  return principal.id;
}

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller({ path: 'api-keys', version: '1' })
export class ApiKeysController {
  constructor(private readonly keys: ApiKeys) {}

  @Post()
  @RequirePermission('create', 'ApiKey')
  @ApiOperation({ summary: 'Create an API key for server-to-server calls (the key is shown once)' })
  async create(
    @Body() body: CreateApiKeyDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const expiresAt = body.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86_400_000) : null;
    const { key, record } = await this.keys.create({
      ownerUserId: userOf(principal),
      name: body.name,
      scopes: body.scopes,
      expiresAt,
    });
    void reply.status(201).header('location', `/v1/api-keys/${record.id}`);
    return { ...record, key };
  }

  @Get()
  @RequirePermission('read', 'ApiKey')
  async list(@CurrentPrincipal() principal: Principal) {
    return { data: await this.keys.list(userOf(principal)), nextCursor: null };
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('delete', 'ApiKey')
  async revoke(@Param() params: IdParams, @CurrentPrincipal() principal: Principal): Promise<void> {
    if (!(await this.keys.revoke(params.id, userOf(principal)))) throw ProblemError.notFound('API key');
  }
}
