import { Injectable } from '@nestjs/common';
import { ProblemError } from '@casebook/platform';
import { ServiceClients } from '../../api-keys/service-clients';
import { AuthErrorCode } from '../../errors';
import type { AuthEventContext } from '../../events/auth-events';
import { AuthService } from '../../identity/auth.service';
import type { Principal } from '../../principal';
import { TokenIssuer, TokenVerifier } from '../../tokens';

/** The token endpoints of `/v1/auth`: sessions ended, and the client-credentials grant. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly auth: AuthService,
    private readonly verifier: TokenVerifier,
    private readonly issuer: TokenIssuer,
    private readonly clients: ServiceClients,
  ) {}

  /** Ends the session of `refreshToken`; a valid user access token sent along is refused from now on too. */
  async logout(refreshToken: string, authorization: string | undefined, context: AuthEventContext): Promise<void> {
    await this.auth.logout(refreshToken, await this.currentAccessToken(authorization), context);
  }

  async logoutAll(principal: Principal, context: AuthEventContext): Promise<void> {
    if (principal.kind !== 'user') {
      throw new ProblemError({ code: AuthErrorCode.Forbidden, detail: 'Only users have sessions.' });
    }
    await this.auth.revokeEverything(principal.id, 'logout_all', context);
  }

  async clientCredentials(grant: { client_id: string; client_secret: string; audience: string }) {
    const client = await this.clients.authenticate(grant.client_id, grant.client_secret);
    if (!client.audiences.includes(grant.audience)) {
      throw new ProblemError({ code: AuthErrorCode.Forbidden, detail: `This client may not call ${grant.audience}.` });
    }
    const issued = await this.issuer.issueForService({ name: client.name, scopes: client.scopes }, grant.audience);
    return { access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn };
  }

  private async currentAccessToken(authorization: string | undefined) {
    if (!authorization?.toLowerCase().startsWith('bearer ')) return undefined;
    try {
      const claims = await this.verifier.verify(authorization.slice(7));
      return claims.typ === 'user'
        ? { userId: claims.sub, jti: claims.jti, expiresAt: new Date(claims.exp * 1000) }
        : undefined;
    } catch {
      // An invalid access token changes nothing about ending the session named by the refresh token.
      return undefined;
    }
  }
}
