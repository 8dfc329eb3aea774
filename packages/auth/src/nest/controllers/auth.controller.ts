import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public, AuditExempt, AuditedInService } from '@casebook/platform';
import { Authenticated } from '../../authorization/authenticated.decorator';
import { authEventContext } from '../../events/auth-events';
import { AuthService, type TokenPair } from '../../identity/auth.service';
import { KeyRing } from '../../tokens';
import { SessionsService } from '../services/sessions.service';
import { ClientCredentialsDto, LoginDto, RefreshDto, TokenPairDto } from './dto';
import { CurrentPrincipal } from '../current.decorators';
import type { Principal } from '../../principal';

@ApiTags('auth')
@Controller({ path: 'auth', version: '1' })
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  @Public()
  @AuditedInService('auth.sign_in.succeeded or auth.sign_in.failed, through AuthEventSink')
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiOkResponse({ type: TokenPairDto })
  async login(@Body() body: LoginDto, @Req() request: FastifyRequest): Promise<TokenPair> {
    return (await this.auth.login(body.email, body.password, authEventContext(request))).tokens;
  }

  @Public()
  @AuditedInService('auth.token.refreshed or auth.token.reuse_detected, through AuthEventSink')
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a refresh token for a new pair (the old refresh token stops working)' })
  @ApiOkResponse({ type: TokenPairDto })
  refresh(@Body() body: RefreshDto, @Req() request: FastifyRequest): Promise<TokenPair> {
    return this.auth.refresh(body.refreshToken, authEventContext(request));
  }

  // Public: the refresh token is the credential. A valid access token sent along is refused from now on too.
  @Public()
  @AuditedInService('auth.signed_out, through AuthEventSink')
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End this session' })
  async logout(@Body() body: RefreshDto, @Req() request: FastifyRequest): Promise<void> {
    await this.sessions.logout(body.refreshToken, request.headers.authorization, authEventContext(request));
  }

  @AuditedInService('auth.signed_out (everywhere), through AuthEventSink')
  @Post('logout-all')
  @HttpCode(204)
  @ApiBearerAuth()
  @Authenticated()
  @ApiOperation({ summary: 'End every session of the signed-in user' })
  async logoutAll(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.sessions.logoutAll(principal, authEventContext(request));
  }

  @Public()
  @AuditExempt(
    'machine-to-machine client credentials: short-lived service tokens, a bad secret is a 401; issuance is metered, not audited',
  )
  @Post('token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Client-credentials grant: a short-lived token for one target service' })
  async token(@Body() body: ClientCredentialsDto) {
    return this.sessions.clientCredentials(body);
  }
}

@ApiTags('auth')
@Controller({ path: '.well-known' })
export class JwksController {
  constructor(private readonly keys: KeyRing) {}

  /** Public keys for other services to verify tokens without a shared secret; includes keys being rotated out. */
  @Public()
  @AuditExempt('public signing keys: no personal data')
  @Get('jwks.json')
  jwks() {
    return this.keys.jwks();
  }
}
