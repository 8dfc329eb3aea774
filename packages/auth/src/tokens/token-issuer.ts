import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { KeyRing } from './key-ring';
import { SIGNING_ALGORITHM } from './key-ring';

export interface IssuedToken {
  token: string;
  jti: string;
  expiresIn: number;
  expiresAt: Date;
}

export interface UserTokenSubject {
  id: string;
  roles: string[];
  region?: string | null;
  authzVer: number;
}

export interface TokenIssuerOptions {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/** Signs short-lived access tokens with the key ring's active key (`kid` in the header). */
export class TokenIssuer {
  constructor(
    private readonly keys: KeyRing,
    private readonly options: TokenIssuerOptions,
  ) {}

  private async sign(
    claims: Record<string, unknown>,
    subject: string,
    audience: string,
    ttlSeconds: number,
  ): Promise<IssuedToken> {
    const { kid, key } = this.keys.signer();
    const jti = randomUUID();
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: 'at+jwt' })
      .setIssuer(this.options.issuer)
      .setAudience(audience)
      .setSubject(subject)
      .setJti(jti)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(key);
    return { token, jti, expiresIn: ttlSeconds, expiresAt: new Date((now + ttlSeconds) * 1000) };
  }

  issueForUser(user: UserTokenSubject): Promise<IssuedToken> {
    return this.sign(
      { typ: 'user', roles: user.roles, ...(user.region ? { region: user.region } : {}), authz_ver: user.authzVer },
      user.id,
      this.options.audience,
      this.options.ttlSeconds,
    );
  }

  /** Client-credentials token for one target service, optionally acting for a user (scope carried over). */
  issueForService(
    client: { name: string; scopes: string[] },
    audience: string,
    actingFor?: { id: string; roles: string[]; region?: string | null },
  ): Promise<IssuedToken> {
    return this.sign(
      {
        typ: 'service',
        roles: [],
        scope: client.scopes.join(' '),
        ...(actingFor
          ? {
              act: {
                sub: actingFor.id,
                roles: actingFor.roles,
                ...(actingFor.region ? { region: actingFor.region } : {}),
              },
            }
          : {}),
      },
      `service:${client.name}`,
      audience,
      Math.min(this.options.ttlSeconds, 300),
    );
  }
}
