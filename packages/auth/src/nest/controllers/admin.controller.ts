import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Page, PageQueryDto, sendReply, AuditExempt, AuditedInService } from '@casebook/platform';
import { RequirePermission } from '../../authorization/require-permission.decorator';
import type { PublicUser } from '../../identity/identity-admin';
import { authEventContext } from '../../events/auth-events';
import { UserAdminService } from '../services/user-admin.service';
import { CreateServiceClientDto, CreateUserDto, IdParams, PutRoleDto, RoleNameParams, UpdateUserDto } from './dto';

@ApiTags('admin')
@ApiBearerAuth()
@Controller({ path: 'admin', version: '1' })
export class AdminController {
  constructor(private readonly admin: UserAdminService) {}

  @AuditedInService('admin.user.listed, through AuthEventSink')
  @Get('users')
  @RequirePermission('read', 'User')
  @ApiOperation({ summary: 'List users' })
  async listUsers(@Query() page: PageQueryDto, @Req() request: FastifyRequest): Promise<Page<PublicUser>> {
    return this.admin.listUsers(page, authEventContext(request));
  }

  @AuditedInService("admin.user.created, in the change's own transaction")
  @Post('users')
  @RequirePermission('create', 'User')
  @ApiOperation({ summary: 'Create a user' })
  async createUser(
    @Body() body: CreateUserDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PublicUser> {
    return sendReply(reply, await this.admin.createUser(body, authEventContext(request)));
  }

  @AuditedInService('admin.user.read, through AuthEventSink')
  @Get('users/:id')
  @RequirePermission('read', 'User')
  async getUser(@Param() params: IdParams, @Req() request: FastifyRequest): Promise<PublicUser> {
    return this.admin.getUser(params.id, authEventContext(request));
  }

  @AuditedInService("admin.user.updated, in the change's own transaction")
  @Patch('users/:id')
  @RequirePermission('update', 'User')
  @ApiOperation({ summary: 'Change roles, region or password (every older token of the user stops working)' })
  async updateUser(
    @Param() params: IdParams,
    @Body() body: UpdateUserDto,
    @Req() request: FastifyRequest,
  ): Promise<PublicUser> {
    return this.admin.updateUser(params.id, body, authEventContext(request));
  }

  @AuditedInService('auth.token.revoked, through AuthEventSink')
  @Post('users/:id/revoke-sessions')
  @HttpCode(204)
  @RequirePermission('update', 'User')
  @ApiOperation({ summary: 'Compromised account: end every session and refuse every token now' })
  async revokeSessions(@Param() params: IdParams, @Req() request: FastifyRequest): Promise<void> {
    return this.admin.revokeSessions(params.id, authEventContext(request));
  }

  @AuditedInService("admin.user.deleted, in the change's own transaction")
  @Delete('users/:id')
  @HttpCode(204)
  @RequirePermission('delete', 'User')
  async deleteUser(@Param() params: IdParams, @Req() request: FastifyRequest): Promise<void> {
    return this.admin.deleteUser(params.id, authEventContext(request));
  }

  @AuditExempt('the role catalogue: access policy, no personal data')
  @Get('roles')
  @RequirePermission('read', 'Role')
  @ApiOperation({ summary: 'Roles with their parents and rules' })
  async listRoles() {
    return this.admin.listRoles();
  }

  @AuditedInService("admin.role.created or admin.role.updated, in the change's own transaction")
  @Put('roles/:name')
  @RequirePermission('manage', 'Role')
  @ApiOperation({ summary: 'Create or replace a role (422 when its rules contradict or its parents loop)' })
  putRole(@Param() params: RoleNameParams, @Body() body: PutRoleDto, @Req() request: FastifyRequest) {
    return this.admin.putRole(params.name, body, authEventContext(request));
  }

  @AuditedInService("admin.role.deleted, in the change's own transaction")
  @Delete('roles/:name')
  @HttpCode(204)
  @RequirePermission('manage', 'Role')
  async deleteRole(@Param() params: RoleNameParams, @Req() request: FastifyRequest): Promise<void> {
    return this.admin.deleteRole(params.name, authEventContext(request));
  }

  @AuditedInService("admin.api_key.created (service client), in the change's own transaction")
  @Post('service-clients')
  @RequirePermission('manage', 'all')
  @ApiOperation({ summary: 'Register a service client (its secret is shown once)' })
  async createServiceClient(
    @Body() body: CreateServiceClientDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendReply(reply, await this.admin.createServiceClient(body, authEventContext(request)));
  }
}
