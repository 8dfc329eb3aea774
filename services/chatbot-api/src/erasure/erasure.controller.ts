import { Controller, Delete, Get, HttpCode, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Audited } from '@casebook/audit';
import { Access, type AccessContext, RequirePermission, UsersRepository } from '@casebook/auth';
import { ProblemError } from '@casebook/platform';
import { IsUUID } from 'class-validator';
import { ownerScope } from '../conversations/owner-scope';
import { type ErasureRequest, ErasureService } from './erasure.service';

class IdParams {
  @IsUUID()
  id!: string;
}

@ApiTags('privacy')
@ApiBearerAuth()
@Controller({ version: '1' })
export class ErasureController {
  constructor(
    private readonly erasure: ErasureService,
    private readonly users: UsersRepository,
  ) {}

  private accepted(reply: FastifyReply, request: ErasureRequest) {
    void reply.status(202).header('location', `/v1/erasures/${request.id}`);
    return { ...request, links: { status: `/v1/erasures/${request.id}` } };
  }

  @Delete('me/data')
  @HttpCode(202)
  @RequirePermission('erase', 'User', { scoped: true })
  @Audited({ action: 'data.erasure_requested', details: () => ({ scope: 'self' }) })
  @ApiOperation({ summary: 'Erase my conversations and destroy my data key (GDPR Art. 17); 202 with a status link' })
  async eraseMine(@Access() access: AccessContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const { ownerId } = ownerScope(access);
    return this.accepted(reply, await this.erasure.request(ownerId, ownerId));
  }

  @Delete('admin/users/:id/data')
  @HttpCode(202)
  @RequirePermission('erase', 'User')
  @Audited({
    action: 'data.erasure_requested',
    resource: { type: 'user', idParam: 'id' },
    details: () => ({ scope: 'admin' }),
  })
  @ApiOperation({ summary: "Erase a user's conversations and destroy their data key" })
  async eraseUser(
    @Param() params: IdParams,
    @Access() access: AccessContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (!(await this.users.findById(params.id))) throw ProblemError.notFound('User');
    return this.accepted(reply, await this.erasure.request(params.id, access.principal.id));
  }

  @Get('erasures/:id')
  @RequirePermission('erase', 'User', { scoped: true })
  @ApiOperation({ summary: 'Status of an erasure request' })
  get(@Param() params: IdParams, @Access() access: AccessContext) {
    return this.erasure.find(params.id, { userId: ownerScope(access).ownerId, admin: access.canAll('erase', 'User') });
  }
}
