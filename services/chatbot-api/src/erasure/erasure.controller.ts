import { Controller, Delete, Get, HttpCode, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Audited } from '@casebook/audit';
import { Access, type AccessContext, CurrentPrincipal, type Principal, RequirePermission } from '@casebook/auth';
import { sendReply, AuditExempt } from '@casebook/platform';
import { IsUUID } from 'class-validator';
import { type AcceptedErasure, ErasureRequests } from './erasure-requests.service';
import type { ErasureRequest } from './erasure.service';

class IdParams {
  @IsUUID()
  id!: string;
}

@ApiTags('privacy')
@ApiBearerAuth()
@Controller({ version: '1' })
export class ErasureController {
  constructor(private readonly erasures: ErasureRequests) {}

  @Delete('me/data')
  @HttpCode(202)
  @RequirePermission('erase', 'User', { scoped: true })
  @Audited({ action: 'data.erasure_requested', details: () => ({ scope: 'self' }) })
  @ApiOperation({ summary: 'Erase my conversations and destroy my data key (GDPR Art. 17); 202 with a status link' })
  async eraseMine(
    @Access() access: AccessContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedErasure> {
    return sendReply(reply, await this.erasures.eraseMine(access));
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
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedErasure> {
    return sendReply(reply, await this.erasures.eraseUser(params.id, principal));
  }

  @AuditExempt("an erasure request's state and counts; the request and the erasure itself are audited")
  @Get('erasures/:id')
  @RequirePermission('erase', 'User', { scoped: true })
  @ApiOperation({ summary: 'Status of an erasure request' })
  status(@Param() params: IdParams, @Access() access: AccessContext): Promise<ErasureRequest> {
    return this.erasures.status(access, params.id);
  }
}
