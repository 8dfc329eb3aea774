import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeCursor, type Page, PageQueryDto, ProblemError, toPage } from '@casebook/platform';
import { RoleCatalog } from '../../access/role-catalog';
import { RequirePermission } from '../../authorization/require-permission.decorator';
import { IdentityAdmin, type PublicUser, toPublicUser } from '../../identity/identity-admin';
import { UsersRepository } from '../../identity/users.repository';
import { AuthErrorCode } from '../../errors';
import { ServiceClients } from '../../api-keys/service-clients';
import { AUTH_EVENT_SINK, type AuthEventSink, authEventContext } from '../../events/auth-events';
import { CreateServiceClientDto, CreateUserDto, IdParams, PutRoleDto, RoleNameParams, UpdateUserDto } from './dto';

@ApiTags('admin')
@ApiBearerAuth()
@Controller({ path: 'admin', version: '1' })
export class AdminController {
  constructor(
    private readonly admin: IdentityAdmin,
    private readonly users: UsersRepository,
    private readonly catalog: RoleCatalog,
    private readonly clients: ServiceClients,
    @Inject(AUTH_EVENT_SINK) private readonly events: AuthEventSink,
  ) {}

  @Get('users')
  @RequirePermission('read', 'User')
  @ApiOperation({ summary: 'List users' })
  async listUsers(@Query() page: PageQueryDto): Promise<Page<PublicUser>> {
    const after = page.cursor ? String(decodeCursor(page.cursor, ['id']).id) : null;
    const rows = await this.users.list(after, page.limit);
    return toPage(rows.map(toPublicUser), page.limit, (u) => ({ id: u.id }));
  }

  @Post('users')
  @RequirePermission('create', 'User')
  @ApiOperation({ summary: 'Create a user' })
  async createUser(
    @Body() body: CreateUserDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PublicUser> {
    const user = await this.admin.createUser(body, authEventContext(request));
    void reply.status(201).header('location', `/v1/admin/users/${user.id}`);
    return user;
  }

  @Get('users/:id')
  @RequirePermission('read', 'User')
  async getUser(@Param() params: IdParams): Promise<PublicUser> {
    const user = await this.users.findById(params.id);
    if (!user) throw ProblemError.notFound('User');
    return toPublicUser(user);
  }

  @Patch('users/:id')
  @RequirePermission('update', 'User')
  @ApiOperation({ summary: 'Change roles, region or password (every older token of the user stops working)' })
  async updateUser(
    @Param() params: IdParams,
    @Body() body: UpdateUserDto,
    @Req() request: FastifyRequest,
  ): Promise<PublicUser> {
    const user = await this.admin.updateUser(params.id, body, authEventContext(request));
    if (!user) throw ProblemError.notFound('User');
    return user;
  }

  @Post('users/:id/revoke-sessions')
  @HttpCode(204)
  @RequirePermission('update', 'User')
  @ApiOperation({ summary: 'Compromised account: end every session and refuse every token now' })
  async revokeSessions(@Param() params: IdParams, @Req() request: FastifyRequest): Promise<void> {
    if (!(await this.admin.revokeSessions(params.id, authEventContext(request)))) throw ProblemError.notFound('User');
  }

  @Delete('users/:id')
  @HttpCode(204)
  @RequirePermission('delete', 'User')
  async deleteUser(@Param() params: IdParams, @Req() request: FastifyRequest): Promise<void> {
    if (!(await this.admin.deleteUser(params.id, authEventContext(request)))) throw ProblemError.notFound('User');
  }

  @Get('roles')
  @RequirePermission('read', 'Role')
  @ApiOperation({ summary: 'Roles with their parents and rules' })
  async listRoles() {
    return { data: await this.catalog.roles(), nextCursor: null };
  }

  @Put('roles/:name')
  @RequirePermission('manage', 'Role')
  @ApiOperation({ summary: 'Create or replace a role (422 when its rules contradict or its parents loop)' })
  putRole(@Param() params: RoleNameParams, @Body() body: PutRoleDto, @Req() request: FastifyRequest) {
    return this.admin.putRole(
      {
        name: params.name,
        description: body.description ?? '',
        parent: body.parent ?? null,
        permissions: body.permissions,
      },
      authEventContext(request),
    );
  }

  @Delete('roles/:name')
  @HttpCode(204)
  @RequirePermission('manage', 'Role')
  async deleteRole(@Param() params: RoleNameParams, @Req() request: FastifyRequest): Promise<void> {
    const result = await this.admin.deleteRole(params.name, authEventContext(request));
    if (result === 'missing') throw ProblemError.notFound('Role');
    if (result === 'in_use') {
      throw new ProblemError({
        code: AuthErrorCode.RoleInUse,
        detail: 'The role is held by users or inherited by other roles.',
      });
    }
  }

  @Post('service-clients')
  @RequirePermission('manage', 'all')
  @ApiOperation({ summary: 'Register a service client (its secret is shown once)' })
  async createServiceClient(
    @Body() body: CreateServiceClientDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.clients.create(body, (tx, client) =>
      this.events.recordInTransaction(
        tx,
        { action: 'admin.api_key.created', keyId: client.id, kind: 'service_client', scopes: client.scopes },
        authEventContext(request),
      ),
    );
    void reply.status(201);
    return { ...created.client, clientSecret: created.clientSecret };
  }
}
