import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { toProblem } from './to-problem';

/** Writes a problem document for an error raised while handling `request`, and logs server errors. */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const { document, headers, isServerError } = toProblem(error, {
    requestId: request.id,
    instance: request.url.split('?')[0]!.slice(0, 256),
  });
  if (document.status === 503) {
    logger.warn({ err: error, requestId: request.id }, 'dependency unavailable');
  } else if (isServerError) {
    logger.error({ err: error, errorId: document.errorId, requestId: request.id }, 'request failed');
  }
  if (reply.sent) return;
  void reply
    .status(document.status)
    .headers(headers)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(document));
}

/** The one exception filter: everything thrown in a route becomes an RFC 9457 problem document. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}
