import { randomUUID } from 'node:crypto';
import { HttpException } from '@nestjs/common';
import {
  CommonErrorCode,
  defaultCodeFor,
  type FieldError,
  ProblemError,
  type ProblemDocument,
  problemTypeFor,
  statusForCode,
  titleFor,
} from './problem';

export interface RenderedProblem {
  document: ProblemDocument;
  headers: Record<string, string>;
  /** True for failures that are ours (5xx): log with the error, keep the details out of the response. */
  isServerError: boolean;
}

// Fastify's own errors for malformed requests; their messages are safe to show.
const fastifyCodes: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: CommonErrorCode.PayloadTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: CommonErrorCode.UnsupportedMediaType,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: CommonErrorCode.BadRequest,
  FST_ERR_CTP_EMPTY_JSON_BODY: CommonErrorCode.MalformedJson,
  FST_ERR_CTP_INVALID_JSON_BODY: CommonErrorCode.MalformedJson,
};

// Postgres and driver errors that mean "the database cannot be reached right now", not "this request is wrong".
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Driver not Connected|not currently accepting connections/i;

/** Q8.1: a dependency outage is a 503 with Retry-After (clients retry), not a 500 (a bug to page someone for). */
export function isDependencyUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth += 1) {
    const e = current as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
    current = e.driverError ?? e.cause;
  }
  return false;
}

interface ErrorLike {
  statusCode?: unknown;
  status?: unknown;
  code?: unknown;
  message?: unknown;
  name?: unknown;
}

function httpExceptionProblem(error: HttpException): { code: string; detail?: string; errors?: FieldError[] } {
  const status = error.getStatus();
  const response = error.getResponse();
  if (typeof response === 'object' && response !== null) {
    const body = response as { code?: unknown; message?: unknown; errors?: unknown };
    const code = typeof body.code === 'string' ? body.code : defaultCodeFor(status);
    if (Array.isArray(body.message)) {
      // Nest's own pipes report a list of messages without field names.
      return { code, detail: body.message.join('; ') };
    }
    return { code, detail: typeof body.message === 'string' ? body.message : error.message };
  }
  return { code: defaultCodeFor(status), detail: typeof response === 'string' ? response : error.message };
}

/** Turns anything thrown into the problem document the client sees. Used by the Nest filter and Fastify's error handler. */
export function toProblem(error: unknown, context: { requestId?: string; instance?: string }): RenderedProblem {
  let status = 500;
  let code: string = CommonErrorCode.Internal;
  let title: string | undefined;
  let detail: string | undefined;
  let errors: FieldError[] | undefined;
  let headers: Record<string, string> = {};
  let extensions: Record<string, unknown> = {};

  if (error instanceof ProblemError) {
    ({ code, title, detail, errors, headers, extensions } = error);
    status = statusForCode(code)!;
  } else if (isDependencyUnavailable(error)) {
    ({ code, title, detail, errors, headers, extensions } = ProblemError.unavailable('A storage dependency', 5));
    status = statusForCode(code)!;
  } else if (error instanceof HttpException) {
    status = error.getStatus();
    ({ code, detail, errors } = httpExceptionProblem(error));
  } else if (typeof error === 'object' && error !== null) {
    const e = error as ErrorLike;
    const fastifyStatus = typeof e.statusCode === 'number' ? e.statusCode : undefined;
    if (fastifyStatus !== undefined && fastifyStatus >= 400 && fastifyStatus < 500) {
      status = fastifyStatus;
      code = (typeof e.code === 'string' && fastifyCodes[e.code]) || defaultCodeFor(status);
      detail = typeof e.message === 'string' ? e.message : undefined;
    }
  }

  const isServerError = status >= 500;
  const document: ProblemDocument = {
    type: problemTypeFor(code),
    title: title ?? titleFor(status),
    status,
    ...(detail !== undefined ? { detail } : {}),
    ...(context.instance !== undefined ? { instance: context.instance } : {}),
    code,
    ...(context.requestId !== undefined ? { requestId: context.requestId } : {}),
    ...(errors !== undefined ? { errors } : {}),
    ...extensions,
  };
  if (isServerError && !(error instanceof ProblemError)) {
    // Internal failures: a reference to the log line, never the message or stack.
    document.detail = 'An unexpected error occurred. Quote the errorId when reporting it.';
  }
  if (status === 500) document.errorId = randomUUID();
  return { document, headers, isServerError };
}
