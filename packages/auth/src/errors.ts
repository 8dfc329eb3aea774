import { defineErrorCodes, ProblemError } from '@casebook/platform';

/** Stable codes of every authentication and authorisation failure; clients and tests match on these. */
export const AuthErrorCode = defineErrorCodes({
  TokenMissing: ['AUTH_TOKEN_MISSING', 401],
  TokenMalformed: ['AUTH_TOKEN_MALFORMED', 401],
  AlgorithmNotAllowed: ['AUTH_TOKEN_ALG_NOT_ALLOWED', 401],
  TokenExpired: ['AUTH_TOKEN_EXPIRED', 401],
  TokenNotYetValid: ['AUTH_TOKEN_NOT_YET_VALID', 401],
  IssuerInvalid: ['AUTH_TOKEN_ISSUER_INVALID', 401],
  AudienceInvalid: ['AUTH_TOKEN_AUDIENCE_INVALID', 401],
  KeyUnknown: ['AUTH_TOKEN_KEY_UNKNOWN', 401],
  SignatureInvalid: ['AUTH_TOKEN_SIGNATURE_INVALID', 401],
  ClaimsInvalid: ['AUTH_TOKEN_CLAIMS_INVALID', 401],
  TokenRevoked: ['AUTH_TOKEN_REVOKED', 401],
  UserUnknown: ['AUTH_USER_UNKNOWN', 401],
  InvalidCredentials: ['AUTH_INVALID_CREDENTIALS', 401],
  RefreshInvalid: ['AUTH_REFRESH_INVALID', 401],
  RefreshReused: ['AUTH_REFRESH_REUSED', 401],
  RefreshExpired: ['AUTH_REFRESH_EXPIRED', 401],
  ApiKeyInvalid: ['AUTH_API_KEY_INVALID', 401],
  Forbidden: ['AUTH_FORBIDDEN', 403],
  LoginRateLimited: ['AUTH_LOGIN_RATE_LIMITED', 429],
  RoleInvalid: ['AUTH_ROLE_INVALID', 422],
  UserExists: ['USER_EXISTS', 409],
  RoleInUse: ['ROLE_IN_USE', 409],
});

export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];

const details: Partial<Record<AuthErrorCode, string>> = {
  [AuthErrorCode.TokenMissing]: 'A bearer token is required.',
  [AuthErrorCode.TokenExpired]: 'The access token has expired; refresh it.',
  [AuthErrorCode.TokenRevoked]: 'The access token was revoked; sign in again or refresh.',
  [AuthErrorCode.InvalidCredentials]: 'Email or password is incorrect.',
};

export function unauthenticated(code: AuthErrorCode, detail?: string): ProblemError {
  return new ProblemError({
    code,
    detail: detail ?? details[code] ?? 'The credentials are not valid.',
    headers: { 'WWW-Authenticate': `Bearer error="invalid_token"` },
  });
}

export function forbidden(detail = 'You do not have permission to do this.'): ProblemError {
  return new ProblemError({ code: AuthErrorCode.Forbidden, detail });
}
