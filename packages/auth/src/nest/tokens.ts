/** Injection tokens of the auth module. */
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
export const LOGIN_ATTEMPT_LIMITER = Symbol('LOGIN_ATTEMPT_LIMITER');
