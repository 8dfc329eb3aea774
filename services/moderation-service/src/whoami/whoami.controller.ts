import { AuditExempt } from '@casebook/platform';
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@casebook/auth';

@ApiTags('identity')
@ApiBearerAuth()
@Controller({ path: 'whoami', version: '1' })
export class WhoamiController {
  /** How this service sees the caller's token (verified through the issuer's JWKS): for operators wiring clients. */
  @AuditExempt("the caller's own principal")
  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'The caller as this service authenticated them' })
  whoami(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}
