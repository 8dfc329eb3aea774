import { ProblemError } from '@casebook/platform';

/** Stable codes of every authentication and authorisation failure; clients and tests match on these. */
export const AuthErrorCode = {
  TokenMissing: 'AUTH_TOKEN_MISSING',
  TokenMalformed: 'AUTH_TOKEN_MALFORMED',
  AlgorithmNotAllowed: 'AUTH_TOKEN_ALG_NOT_ALLOWED',
  TokenExpired: 'AUTH_TOKEN_EXPIRED',
  TokenNotYetValid: 'AUTH_TOKEN_NOT_YET_VALID',
  IssuerInvalid: 'AUTH_TOKEN_ISSUER_INVALID',
  AudienceInvalid: 'AUTH_TOKEN_AUDIENCE_INVALID',
  KeyUnknown: 'AUTH_TOKEN_KEY_UNKNOWN',
  SignatureInvalid: 'AUTH_TOKEN_SIGNATURE_INVALID',
  ClaimsInvalid: 'AUTH_TOKEN_CLAIMS_INVALID',
  TokenRevoked: 'AUTH_TOKEN_REVOKED',
  UserUnknown: 'AUTH_USER_UNKNOWN',
  InvalidCredentials: 'AUTH_INVALID_CREDENTIALS',
  RefreshInvalid: 'AUTH_REFRESH_INVALID',
  RefreshReused: 'AUTH_REFRESH_REUSED',
  RefreshExpired: 'AUTH_REFRESH_EXPIRED',
  ApiKeyInvalid: 'AUTH_API_KEY_INVALID',
  Forbidden: 'AUTH_FORBIDDEN',
  LoginRateLimited: 'AUTH_LOGIN_RATE_LIMITED',
  RoleInvalid: 'AUTH_ROLE_INVALID',
} as const;

export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];

const details: Partial<Record<AuthErrorCode, string>> = {
  [AuthErrorCode.TokenMissing]: 'A bearer token is required.',
  [AuthErrorCode.TokenExpired]: 'The access token has expired; refresh it.',
  [AuthErrorCode.TokenRevoked]: 'The access token was revoked; sign in again or refresh.',
  [AuthErrorCode.InvalidCredentials]: 'Email or password is incorrect.',
};

export function unauthenticated(code: AuthErrorCode, detail?: string): ProblemError {
  return new ProblemError({
    status: 401,
    code,
    detail: detail ?? details[code] ?? 'The credentials are not valid.',
    headers: { 'WWW-Authenticate': `Bearer error="invalid_token"` },
  });
}

export function forbidden(detail = 'You do not have permission to do this.'): ProblemError {
  return new ProblemError({ status: 403, code: AuthErrorCode.Forbidden, detail });
}
