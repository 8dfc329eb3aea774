import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LOGGER, type Logger, PROBLEM_CONTENT_TYPE, toProblem } from '@casebook/platform';
import { AuditRecorder } from '../capture/recorder';
import type { AuditOutcome } from '../events/event.schema';
import { AUDIT_ROUTE_CONFIG, type AuditedContext, type AuditedOptions } from './audited.decorator';
import { actorOf, auditDenialOf, fromRequest, idempotencyKeyOf } from './request-audit';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

function outcomeOf(status: number): AuditOutcome {
  if (status === 401 || status === 403) return 'denied';
  return status >= 400 ? 'failure' : 'success';
}

/**
 * Records `@Audited` routes (Q6.1) from Fastify's onSend hook: after the handler, the guards and the
 * exception filter have decided the status, before a byte is sent. The response waits for `record()`,
 * which resolves once the event is in the Redis stream (one XADD per event-loop turn) or the outbox: an
 * answered request is an audited request. A hook rather than a Nest interceptor, because an interceptor
 * costs every request an rxjs pipeline and two AsyncResources (docs/performance.md, "Audit"), and
 * because guard denials never reach interceptors. Every 403 (and a 401 the guard marked), on any route, becomes
 * `authz.denied`.
 */
@Injectable()
export class AuditHttpHooks implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly recorder: AuditRecorder,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter || adapter.getType() !== 'fastify') return;
    // Routes take their hooks when Fastify becomes ready, so adding it during init covers every route.
    const fastify = adapter.getInstance<FastifyInstance>();
    fastify.addHook('onSend', async (request, reply, payload) => {
      const options = request.routeOptions.config?.[AUDIT_ROUTE_CONFIG as never] as AuditedOptions | undefined;
      // 403 is always an authorisation denial. A 401 is one only when the guard says so (setAuditDenial):
      // a failed sign-in also answers 401, and is recorded as auth.sign_in.failed by the code that knows why.
      const denied = reply.statusCode === 403 || (reply.statusCode === 401 && auditDenialOf(request) !== undefined);
      if (!options && !denied) return payload;
      try {
        await (options
          ? this.record(options, request, reply.statusCode, payload)
          : this.recordDenial(request, reply.statusCode));
        return payload;
      } catch (error) {
        return this.replaceWithProblem(error, request, reply);
      }
    });
  }

  private record(options: AuditedOptions, request: FastifyRequest, status: number, payload: unknown): Promise<unknown> {
    const outcome = outcomeOf(status);
    let details: Record<string, unknown> = { status };
    let parsed: unknown;
    const context: AuditedContext = {
      request,
      get result() {
        parsed ??= typeof payload === 'string' ? (JSON.parse(payload) as unknown) : payload;
        return parsed;
      },
    };
    if (outcome === 'success' && options.details) {
      details = { ...(options.details(context) as Record<string, unknown>), status };
    }
    const idParam = options.resource?.idParam;
    const idField = outcome === 'success' ? options.resource?.idFromResult : undefined;
    const resultId = idField ? (context.result as Record<string, unknown> | null)?.[idField] : undefined;
    // Built field by field (no spreads): this runs for every audited response.
    return this.recorder.record({
      actor: actorOf(request),
      ip: request.ip,
      requestId: request.id,
      action: options.action,
      outcome,
      resource: options.resource
        ? {
            type: options.resource.type,
            id: idParam
              ? ((request.params as Record<string, string | undefined>)[idParam] ?? null)
              : typeof resultId === 'string'
                ? resultId
                : null,
          }
        : null,
      details,
      idempotencyKey: idempotencyKeyOf(request),
    });
  }

  /** Q6.1: every authorisation denial is audited, on any route, with what the guard said about it. */
  private recordDenial(request: FastifyRequest, status: number): Promise<unknown> {
    const denial = auditDenialOf(request);
    const route = request.routeOptions.url;
    return this.recorder.record({
      ...fromRequest(request),
      action: 'authz.denied',
      outcome: 'denied',
      details: {
        status,
        ...(METHODS.has(request.method) ? { method: request.method as 'GET' } : {}),
        ...(route && /^\/[A-Za-z0-9/:_.*{}-]{0,199}$/.test(route) ? { route } : {}),
        ...(denial?.permission ? { permission: denial.permission } : {}),
        ...(denial?.reason ? { reason: denial.reason } : {}),
      },
    });
  }

  /** The event could not be made durable (AUDIT_FAILURE_MODE=closed): the client gets a 503, not the data. */
  private replaceWithProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): string {
    const { document, headers } = toProblem(error, { requestId: request.id, instance: request.url.split('?')[0] });
    this.logger.error({ err: error, requestId: request.id }, 'audit event not recorded; response replaced by 503');
    void reply.code(document.status).headers(headers).header('content-type', PROBLEM_CONTENT_TYPE);
    return JSON.stringify(document);
  }
}
