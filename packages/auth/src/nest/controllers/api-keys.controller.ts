import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError } from '@casebook/platform';
import { ApiKeys } from '../../api-keys/api-keys';
import { RequirePermission } from '../../authorization/require-permission.decorator';
import { AUTH_EVENT_SINK, type AuthEventSink, authEventContext } from '../../events/auth-events';
import type { Principal } from '../../principal';
import { CurrentPrincipal } from '../current.decorators';
import { AuthErrorCode } from '../../errors';
import { CreateApiKeyDto, IdParams } from './dto';

function userOf(principal: Principal): string {
  if (principal.kind !== 'user')
    throw new ProblemError({ code: AuthErrorCode.Forbidden, detail: 'API keys are managed by users.' });
  return principal.id;
}

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller({ path: 'api-keys', version: '1' })
export class ApiKeysController {
  constructor(
    private readonly keys: ApiKeys,
    @Inject(AUTH_EVENT_SINK) private readonly events: AuthEventSink,
  ) {}

  @Post()
  @RequirePermission('create', 'ApiKey')
  @ApiOperation({ summary: 'Create an API key for server-to-server calls (the key is shown once)' })
  async create(
    @Body() body: CreateApiKeyDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const expiresAt = body.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86_400_000) : null;
    const { key, record } = await this.keys.create(
      { ownerUserId: userOf(principal), name: body.name, scopes: body.scopes, expiresAt },
      (tx, created) =>
        this.events.recordInTransaction(
          tx,
          { action: 'admin.api_key.created', keyId: created.id, kind: 'api_key', scopes: created.scopes },
          authEventContext(request),
        ),
    );
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
  async revoke(
    @Param() params: IdParams,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const revoked = await this.keys.revoke(params.id, userOf(principal), (tx) =>
      this.events.recordInTransaction(
        tx,
        { action: 'admin.api_key.revoked', keyId: params.id },
        authEventContext(request),
      ),
    );
    if (!revoked) throw ProblemError.notFound('API key');
  }
}
