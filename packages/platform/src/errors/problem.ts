import { HttpStatus } from '@nestjs/common';

/** A field-level validation failure inside a problem document. */
export interface FieldError {
  /** Dotted path of the offending field, e.g. `limit` or `filters.0.value`. */
  field: string;
  message: string;
  /** Where the field came from, when known. */
  in?: 'body' | 'query' | 'path' | 'header';
}

/** RFC 9457 problem document as every casebook service writes it. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  requestId?: string;
  errorId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
export const PROBLEM_TYPE_BASE = 'https://casebook.dev/problems/';

// The one table from error code to HTTP status. Each module declares its codes with `defineErrorCodes`,
// and the problem filter (`toProblem`) reads the status from here: a throw site names a code, never a status.
const statusByCode = new Map<string, number>();

/**
 * Declares a module's error codes with the HTTP status each maps to and returns the code enum
 * (`{ Name: 'CODE' }`). Throw with `new ProblemError({ code: QueryErrorCode.OutOfScope, detail })`.
 */
export function defineErrorCodes<const T extends Record<string, readonly [code: string, status: number]>>(
  table: T,
): { readonly [K in keyof T]: T[K][0] } {
  const codes: Record<string, string> = {};
  for (const [name, [code, status]] of Object.entries(table)) {
    const known = statusByCode.get(code);
    if (known !== undefined && known !== status) {
      throw new Error(`Error code ${code} is declared with status ${known} and ${status}.`);
    }
    statusByCode.set(code, status);
    codes[name] = code;
  }
  return Object.freeze(codes) as { readonly [K in keyof T]: T[K][0] };
}

/** The HTTP status a declared code maps to; undefined for a code no module declared. */
export function statusForCode(code: string): number | undefined {
  return statusByCode.get(code);
}

/** Stable machine codes shared by every service. Modules declare their own (e.g. `AUTH_TOKEN_EXPIRED`). */
export const CommonErrorCode = defineErrorCodes({
  BadRequest: ['BAD_REQUEST', 400],
  ValidationFailed: ['VALIDATION_FAILED', 400],
  MalformedJson: ['MALFORMED_JSON', 400],
  Unauthenticated: ['UNAUTHENTICATED', 401],
  Forbidden: ['FORBIDDEN', 403],
  NotFound: ['NOT_FOUND', 404],
  MethodNotAllowed: ['METHOD_NOT_ALLOWED', 405],
  Conflict: ['CONFLICT', 409],
  PayloadTooLarge: ['PAYLOAD_TOO_LARGE', 413],
  UriTooLong: ['URI_TOO_LONG', 414],
  UnsupportedMediaType: ['UNSUPPORTED_MEDIA_TYPE', 415],
  UnprocessableEntity: ['UNPROCESSABLE_ENTITY', 422],
  RateLimited: ['RATE_LIMITED', 429],
  Internal: ['INTERNAL_ERROR', 500],
  ServiceUnavailable: ['SERVICE_UNAVAILABLE', 503],
});

export type CommonErrorCode = (typeof CommonErrorCode)[keyof typeof CommonErrorCode];

const defaultCodes: Record<number, string> = {
  400: CommonErrorCode.BadRequest,
  401: CommonErrorCode.Unauthenticated,
  403: CommonErrorCode.Forbidden,
  404: CommonErrorCode.NotFound,
  405: CommonErrorCode.MethodNotAllowed,
  409: CommonErrorCode.Conflict,
  413: CommonErrorCode.PayloadTooLarge,
  414: CommonErrorCode.UriTooLong,
  415: CommonErrorCode.UnsupportedMediaType,
  422: CommonErrorCode.UnprocessableEntity,
  429: CommonErrorCode.RateLimited,
  500: CommonErrorCode.Internal,
  503: CommonErrorCode.ServiceUnavailable,
};

export function defaultCodeFor(status: number): string {
  return defaultCodes[status] ?? (status >= 500 ? CommonErrorCode.Internal : CommonErrorCode.BadRequest);
}

export function titleFor(status: number): string {
  const name = HttpStatus[status];
  if (!name) return status >= 500 ? 'Server error' : 'Client error';
  return name
    .toLowerCase()
    .split('_')
    .map((word, i) => (i === 0 ? word[0]!.toUpperCase() + word.slice(1) : word))
    .join(' ');
}

export function problemTypeFor(code: string): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replace(/_/g, '-');
}

export interface ProblemInit {
  /** A code from a module's `defineErrorCodes` enum; its status comes from that declaration. */
  code: string;
  title?: string;
  detail?: string;
  errors?: FieldError[];
  /** Response headers that belong to the problem, e.g. `Retry-After`. */
  headers?: Record<string, string>;
  /** Extra members of the problem document (RFC 9457 extensions). */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one exception type every casebook module throws for an expected failure. Modules declare their
 * codes with `defineErrorCodes` and throw `new ProblemError({ code: AuthErrorCode.TokenExpired })`;
 * the status is the one declared for the code.
 */
export class ProblemError extends Error {
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(init: ProblemInit) {
    const status = statusForCode(init.code);
    if (status === undefined) {
      // A literal or misspelt code: a bug, reported as one (a 500 whose log names the code).
      throw new TypeError(`Error code ${init.code} is not declared with defineErrorCodes.`);
    }
    super(init.detail ?? titleFor(status), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ProblemError';
    this.code = init.code;
    this.title = init.title ?? titleFor(status);
    this.detail = init.detail;
    this.errors = init.errors;
    this.headers = init.headers ?? {};
    this.extensions = init.extensions ?? {};
  }

  /** The HTTP status declared for this error's code. */
  get status(): number {
    return statusForCode(this.code)!;
  }

  static validation(errors: FieldError[], detail = 'The request is not valid; see errors[] for each field.') {
    return new ProblemError({ code: CommonErrorCode.ValidationFailed, detail, errors });
  }

  static notFound(what: string) {
    return new ProblemError({ code: CommonErrorCode.NotFound, detail: `${what} was not found.` });
  }

  static unavailable(dependency: string, retryAfterSeconds: number) {
    return new ProblemError({
      code: CommonErrorCode.ServiceUnavailable,
      detail: `${dependency} is unavailable; retry later.`,
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}
