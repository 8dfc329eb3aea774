import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, type HttpReply, type Page, ProblemError, toPage } from '@casebook/platform';
import { RoleCatalog } from '../../access/role-catalog';
import { ServiceClients } from '../../api-keys/service-clients';
import type { RoleDefinition } from '../../authorization';
import { AuthErrorCode } from '../../errors';
import { AUTH_EVENT_SINK, type AuthEventContext, type AuthEventSink } from '../../events/auth-events';
import { IdentityAdmin, type PublicUser, toPublicUser } from '../../identity/identity-admin';
import { UsersRepository } from '../../identity/users.repository';

/** `/v1/admin`: users, roles and service clients, with a 404 for whatever does not exist. */
@Injectable()
export class UserAdminService {
  constructor(
    private readonly admin: IdentityAdmin,
    private readonly users: UsersRepository,
    private readonly catalog: RoleCatalog,
    private readonly clients: ServiceClients,
    @Inject(AUTH_EVENT_SINK) private readonly events: AuthEventSink,
  ) {}

  /** Q6.1: an administrator reading user records is recorded like a change (the response waits for it). */
  async listUsers(page: { cursor?: string; limit: number }, context: AuthEventContext): Promise<Page<PublicUser>> {
    const after = page.cursor ? String(decodeCursor(page.cursor, ['id']).id) : null;
    const rows = await this.users.list(after, page.limit);
    const result = toPage(rows.map(toPublicUser), page.limit, (u) => ({ id: u.id }));
    await this.events.record({ action: 'admin.user.listed', returned: result.data.length }, context);
    return result;
  }

  async createUser(
    input: { email: string; password: string; region?: string; roles: string[] },
    context: AuthEventContext,
  ): Promise<HttpReply<PublicUser>> {
    const user = await this.admin.createUser(input, context);
    return { status: 201, headers: { location: `/v1/admin/users/${user.id}` }, body: user };
  }

  async getUser(id: string, context: AuthEventContext): Promise<PublicUser> {
    const user = await this.users.findById(id);
    if (!user) throw ProblemError.notFound('User');
    await this.events.record({ action: 'admin.user.read', userId: id }, context);
    return toPublicUser(user);
  }

  async updateUser(
    id: string,
    changes: { roles?: string[]; region?: string; password?: string },
    context: AuthEventContext,
  ): Promise<PublicUser> {
    const user = await this.admin.updateUser(id, changes, context);
    if (!user) throw ProblemError.notFound('User');
    return user;
  }

  async revokeSessions(id: string, context: AuthEventContext): Promise<void> {
    if (!(await this.admin.revokeSessions(id, context))) throw ProblemError.notFound('User');
  }

  async deleteUser(id: string, context: AuthEventContext): Promise<void> {
    if (!(await this.admin.deleteUser(id, context))) throw ProblemError.notFound('User');
  }

  async listRoles() {
    return { data: await this.catalog.roles(), nextCursor: null };
  }

  /** Creates or replaces a role; 422 when its rules contradict or its parents loop. */
  putRole(
    name: string,
    input: Pick<RoleDefinition, 'permissions'> & { description?: string; parent?: string | null },
    context: AuthEventContext,
  ): Promise<RoleDefinition> {
    return this.admin.putRole(
      { name, description: input.description ?? '', parent: input.parent ?? null, permissions: input.permissions },
      context,
    );
  }

  async deleteRole(name: string, context: AuthEventContext): Promise<void> {
    const result = await this.admin.deleteRole(name, context);
    if (result === 'missing') throw ProblemError.notFound('Role');
    if (result === 'in_use') {
      throw new ProblemError({
        code: AuthErrorCode.RoleInUse,
        detail: 'The role is held by users or inherited by other roles.',
      });
    }
  }

  /** Registers a service client; its secret is in this response and nowhere else. */
  async createServiceClient(
    input: { name: string; scopes: string[]; audiences: string[] },
    context: AuthEventContext,
  ): Promise<HttpReply<Record<string, unknown>>> {
    const created = await this.clients.create(input, (tx, client) =>
      this.events.recordInTransaction(
        tx,
        { action: 'admin.api_key.created', keyId: client.id, kind: 'service_client', scopes: client.scopes },
        context,
      ),
    );
    return { status: 201, headers: {}, body: { ...created.client, clientSecret: created.clientSecret } };
  }
}
