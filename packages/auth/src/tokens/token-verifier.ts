import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { AuthErrorCode, unauthenticated } from '../errors';
import { type AccessClaims, accessClaimsSchema } from './claims';
import { type KeyRing, SIGNING_ALGORITHM } from './key-ring';

export interface TokenVerifierOptions {
  issuer: string;
  /** Audiences this verifier accepts: the end-user audience and, for a service, its own name. */
  audiences: string[];
  clockToleranceSeconds: number;
}

const ALLOWED_ALGORITHMS = [SIGNING_ALGORITHM];

/** Keys from the local ring (the issuer itself). */
export function keyRingResolver(keys: KeyRing): JWTVerifyGetKey {
  return (header) => {
    const key = keys.verificationKey(header.kid);
    if (!key) throw new errors.JWKSNoMatchingKey();
    return key as KeyLike;
  };
}

/** Keys fetched from the issuer's JWKS, cached, refetched when an unknown `kid` appears (rotation). */
export function remoteJwksResolver(url: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(url), {
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
    timeoutDuration: 2_000,
  });
}

function mapError(error: unknown): never {
  if (error instanceof errors.JWTExpired) throw unauthenticated(AuthErrorCode.TokenExpired);
  if (error instanceof errors.JWTClaimValidationFailed) {
    const byClaim: Record<string, AuthErrorCode> = {
      nbf: AuthErrorCode.TokenNotYetValid,
      iss: AuthErrorCode.IssuerInvalid,
      aud: AuthErrorCode.AudienceInvalid,
    };
    throw unauthenticated(
      byClaim[error.claim] ?? AuthErrorCode.ClaimsInvalid,
      `The token's ${error.claim} claim is not valid.`,
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) throw unauthenticated(AuthErrorCode.SignatureInvalid);
  if (error instanceof errors.JWKSNoMatchingKey) throw unauthenticated(AuthErrorCode.KeyUnknown);
  if (error instanceof errors.JOSEAlgNotAllowed) throw unauthenticated(AuthErrorCode.AlgorithmNotAllowed);
  if (error instanceof errors.JOSEError) throw unauthenticated(AuthErrorCode.TokenMalformed);
  throw error;
}

/**
 * Q2.3: verification pins the algorithm list, issuer and audience before trusting any claim. `alg:
 * none` and HS256 tokens (algorithm confusion with the public key) are refused on the header alone;
 * a changed payload or signature fails the Ed25519 check.
 */
export class TokenVerifier {
  constructor(
    private readonly getKey: JWTVerifyGetKey,
    private readonly options: TokenVerifierOptions,
  ) {}

  async verify(token: string): Promise<AccessClaims> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      if (token.split('.').length !== 3) throw new Error('not a JWS compact serialisation');
      header = decodeProtectedHeader(token);
    } catch {
      throw unauthenticated(AuthErrorCode.TokenMalformed);
    }
    if (typeof header.alg !== 'string' || !ALLOWED_ALGORITHMS.includes(header.alg)) {
      throw unauthenticated(
        AuthErrorCode.AlgorithmNotAllowed,
        `Tokens signed with '${String(header.alg)}' are not accepted.`,
      );
    }
    if (typeof header.kid !== 'string') throw unauthenticated(AuthErrorCode.KeyUnknown);

    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.getKey, {
        algorithms: ALLOWED_ALGORITHMS,
        issuer: this.options.issuer,
        audience: this.options.audiences,
        clockTolerance: this.options.clockToleranceSeconds,
        requiredClaims: ['exp', 'iat', 'nbf', 'jti', 'sub'],
      }));
    } catch (error) {
      mapError(error);
    }
    const claims = accessClaimsSchema.safeParse(payload);
    if (!claims.success) throw unauthenticated(AuthErrorCode.ClaimsInvalid);
    return { ...claims.data, exp: payload.exp as number, iat: payload.iat as number };
  }
}
