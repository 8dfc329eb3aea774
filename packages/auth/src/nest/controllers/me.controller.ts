import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemError } from '@casebook/platform';
import type { AccessContext } from '../../access/access-context';
import { RoleCatalog } from '../../access/role-catalog';
import { describeAbility, expandRoles } from '../../authorization';
import { Authenticated } from '../../authorization/authenticated.decorator';
import { AuthErrorCode } from '../../errors';
import { UsersRepository } from '../../identity/users.repository';
import { Access } from '../current.decorators';

@ApiTags('me')
@ApiBearerAuth()
@Controller({ path: 'me', version: '1' })
export class MeController {
  constructor(
    private readonly users: UsersRepository,
    private readonly catalog: RoleCatalog,
  ) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Who am I: roles with inherited ones, region, effective permissions' })
  async me(@Access() access: AccessContext) {
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
