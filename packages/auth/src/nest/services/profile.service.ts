import { Injectable } from '@nestjs/common';
import { ProblemError } from '@casebook/platform';
import type { AccessContext } from '../../access/access-context';
import { RoleCatalog } from '../../access/role-catalog';
import { describeAbility, expandRoles } from '../../authorization';
import { AuthErrorCode } from '../../errors';
import { UsersRepository } from '../../identity/users.repository';

/** `GET /v1/me`: the signed-in user with inherited roles, region and effective permissions. */
@Injectable()
export class ProfileService {
  constructor(
    private readonly users: UsersRepository,
    private readonly catalog: RoleCatalog,
  ) {}

  async of(access: AccessContext) {
    const { principal } = access;
    if (principal.kind !== 'user') {
      throw new ProblemError({ code: AuthErrorCode.Forbidden, detail: 'Only users have a profile.' });
    }
    const user = await this.users.findById(principal.id);
    if (!user) throw new ProblemError({ code: AuthErrorCode.UserUnknown });
    return {
      id: user.id,
      email: user.email,
      roles: user.roles,
      effectiveRoles: expandRoles(await this.catalog.roles(), user.roles),
      region: user.region,
      permissions: access.rules ? describeAbility(access.rules) : [],
    };
  }
}
