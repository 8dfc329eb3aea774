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

/** Stable machine codes shared by every service. Packages add their own (e.g. `AUTH_TOKEN_EXPIRED`). */
export const CommonErrorCode = {
  BadRequest: 'BAD_REQUEST',
  ValidationFailed: 'VALIDATION_FAILED',
  MalformedJson: 'MALFORMED_JSON',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  Conflict: 'CONFLICT',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  UnprocessableEntity: 'UNPROCESSABLE_ENTITY',
  RateLimited: 'RATE_LIMITED',
  Internal: 'INTERNAL_ERROR',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
} as const;

const defaultCodes: Record<number, string> = {
  400: CommonErrorCode.BadRequest,
  401: CommonErrorCode.Unauthenticated,
  403: CommonErrorCode.Forbidden,
  404: CommonErrorCode.NotFound,
  405: CommonErrorCode.MethodNotAllowed,
  409: CommonErrorCode.Conflict,
  413: CommonErrorCode.PayloadTooLarge,
  414: 'URI_TOO_LONG',
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
  status: number;
  code?: string;
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
 * The one exception type every casebook module throws for an expected failure. Modules keep their
 * codes in an enum and throw `new ProblemError({ status: 401, code: AuthErrorCode.TokenExpired })`.
 */
export class ProblemError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(init: ProblemInit) {
    super(init.detail ?? titleFor(init.status), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ProblemError';
    this.status = init.status;
    this.code = init.code ?? defaultCodeFor(init.status);
    this.title = init.title ?? titleFor(init.status);
    this.detail = init.detail;
    this.errors = init.errors;
    this.headers = init.headers ?? {};
    this.extensions = init.extensions ?? {};
  }

  static validation(errors: FieldError[], detail = 'The request is not valid; see errors[] for each field.') {
    return new ProblemError({ status: 400, code: CommonErrorCode.ValidationFailed, detail, errors });
  }

  static notFound(what: string) {
    return new ProblemError({ status: 404, code: CommonErrorCode.NotFound, detail: `${what} was not found.` });
  }

  static unavailable(dependency: string, retryAfterSeconds: number) {
    return new ProblemError({
      status: 503,
      code: CommonErrorCode.ServiceUnavailable,
      detail: `${dependency} is unavailable; retry later.`,
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}
