import { ProblemError } from '@casebook/platform';
import type { RoleCatalog } from '../access/role-catalog';
import { type RoleDefinition, validateRole } from '../authorization';
import { AuthErrorCode } from '../errors';
import type { AuthEventContext, AuthEventSink } from '../events/auth-events';
import type { PasswordHasher } from '../passwords/password-hasher';
import type { AuthzState } from '../revocation/authz-state';
import type { AuthService } from './auth.service';
import { normaliseEmail } from './email';
import type { RolesRepository } from './roles.repository';
import { UnknownRoleError, type UserRecord, type UsersRepository } from './users.repository';

export type PublicUser = Omit<UserRecord, 'passwordHash'>;

export const toPublicUser = ({ passwordHash: _hidden, ...user }: UserRecord): PublicUser => user;

function unknownRoles(error: unknown): never {
  if (error instanceof UnknownRoleError) {
    throw new ProblemError({
      code: AuthErrorCode.RoleInvalid,
      detail: 'One of the roles does not exist.',
      errors: [{ field: 'roles', message: `unknown role in ${error.roles.join(', ')}` }],
    });
  }
  throw error;
}

/**
 * Admin management of users and roles (ARCHITECTURE §4 `/v1/admin/users`, `/v1/admin/roles`). Every change
 * writes its audit event in its own transaction (Q6.1): no change without its record.
 */
export class IdentityAdmin {
  constructor(
    private readonly users: UsersRepository,
    private readonly roles: RolesRepository,
    private readonly catalog: RoleCatalog,
    private readonly hasher: PasswordHasher,
    private readonly authz: AuthzState,
    private readonly auth: AuthService,
    private readonly events: AuthEventSink,
  ) {}

  async createUser(
    input: { email: string; password: string; region?: string; roles: string[] },
    context: AuthEventContext,
  ): Promise<PublicUser> {
    const email = normaliseEmail(input.email);
    if (await this.users.findByEmail(email)) {
      throw new ProblemError({ code: AuthErrorCode.UserExists, detail: 'A user with this email exists.' });
    }
    const id = await this.users
      .create(
        {
          email,
          passwordHash: await this.hasher.hash(input.password),
          region: input.region ?? null,
          roles: input.roles,
        },
        (tx, userId) =>
          this.events.recordInTransaction(
            tx,
            {
              action: 'admin.user.created',
              userId,
              fields: ['email', 'password', 'roles', ...(input.region ? ['region'] : [])],
            },
            context,
          ),
      )
      .catch(unknownRoles);
    return toPublicUser((await this.users.findById(id))!);
  }

  /** Q2.1/Q8.3: roles, region or password changed → the version bump refuses every older token. */
  async updateUser(
    id: string,
    changes: { roles?: string[]; region?: string; password?: string },
    context: AuthEventContext,
  ): Promise<PublicUser | null> {
    const fields = Object.entries(changes)
      .filter(([, value]) => value !== undefined)
      .map(([field]) => field);
    const version = await this.users
      .update(
        id,
        {
          ...(changes.roles ? { roles: changes.roles } : {}),
          ...(changes.region !== undefined ? { region: changes.region } : {}),
          ...(changes.password ? { passwordHash: await this.hasher.hash(changes.password) } : {}),
        },
        (tx) => this.events.recordInTransaction(tx, { action: 'admin.user.updated', userId: id, fields }, context),
      )
      .catch(unknownRoles);
    if (version === null) return null;
    await this.authz.publishVersion(id, version);
    if (changes.password) await this.auth.revokeEverything(id, 'password_change', context);
    const user = await this.users.findById(id);
    return user ? toPublicUser(user) : null;
  }

  /** A compromised account: every session and token ends now. */
  async revokeSessions(id: string, context: AuthEventContext): Promise<boolean> {
    if (!(await this.users.findById(id))) return false;
    await this.auth.revokeEverything(id, 'compromise', context);
    return true;
  }

  deleteUser(id: string, context: AuthEventContext): Promise<boolean> {
    return this.users.delete(id, (tx) =>
      this.events.recordInTransaction(tx, { action: 'admin.user.deleted', userId: id }, context),
    );
  }

  /** Q1.1/Q1.2: a role whose rules contradict, or whose parent chain loops, is refused with 422. */
  async putRole(role: RoleDefinition, context: AuthEventContext): Promise<RoleDefinition> {
    const catalog = await this.roles.catalog();
    const problems = validateRole(role, catalog);
    if (problems.length > 0) {
      throw new ProblemError({
        code: AuthErrorCode.RoleInvalid,
        detail: 'The role is not valid.',
        errors: problems,
      });
    }
    await this.roles.save(role, {
      within: (tx, created) =>
        this.events.recordInTransaction(
          tx,
          {
            action: created ? 'admin.role.created' : 'admin.role.updated',
            role: role.name,
            permissions: role.permissions.length,
          },
          context,
        ),
    });
    this.catalog.invalidate();
    return (await this.roles.catalog()).find((r) => r.name === role.name)!;
  }

  async deleteRole(name: string, context: AuthEventContext): Promise<'deleted' | 'missing' | 'in_use'> {
    const result = await this.roles.delete(name, (tx) =>
      this.events.recordInTransaction(tx, { action: 'admin.role.deleted', role: name }, context),
    );
    if (result === 'deleted') this.catalog.invalidate();
    return result;
  }
}
