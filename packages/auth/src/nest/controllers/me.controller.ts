import { AuditExempt } from '@casebook/platform';
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AccessContext } from '../../access/access-context';
import { Authenticated } from '../../authorization/authenticated.decorator';
import { Access } from '../current.decorators';
import { ProfileService } from '../services/profile.service';

@ApiTags('me')
@ApiBearerAuth()
@Controller({ path: 'me', version: '1' })
export class MeController {
  constructor(private readonly profiles: ProfileService) {}

  @AuditExempt("the caller's own principal and permissions")
  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Who am I: roles with inherited ones, region, effective permissions' })
  me(@Access() access: AccessContext) {
    return this.profiles.of(access);
  }
}
