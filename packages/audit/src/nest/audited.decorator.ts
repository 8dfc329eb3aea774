import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import type { FastifyRequest } from 'fastify';
import { AUDITED_KEY } from '@casebook/platform';
import type { AuditAction, AuditDetails } from '../events/actions';

/** Where the options travel in Fastify's route config, read back by the audit onSend hook. */
export const AUDIT_ROUTE_CONFIG = 'casebookAudited';

export interface AuditedContext {
  request: FastifyRequest;
  /** The response body as sent (parsed JSON), on success; read only when `details` asks for it. */
  readonly result: unknown;
}

export interface AuditedOptions<A extends AuditAction = AuditAction> {
  action: A;
  /**
   * The resource acted on; its id is read from the named route parameter or, for a create, from the named
   * top-level field of the response body.
   */
  resource?: { type: string; idParam?: string; idFromResult?: string };
  /** Typed details for the action (never request bodies or message text). */
  details?: (context: AuditedContext) => AuditDetails<A>;
}

/**
 * Marks a route as audited: before the response leaves, its event (actor, action, resource, outcome from
 * the final status, request id, truncated IP) is made durable. Denials by guards (401/403) are recorded
 * too. Routes that change data in a transaction write their event with `recordInTransaction` as well.
 *
 * The options ride in Fastify's route config (read per request without a Nest interceptor, see
 * AuditHttpHooks); a `@RouteConfig()` on the same handler must be written below `@Audited`, or it would
 * replace them.
 */
export const Audited =
  <A extends AuditAction>(options: AuditedOptions<A>): MethodDecorator =>
  (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    Reflect.defineMetadata(AUDITED_KEY, options, handler);
    const config = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as object | undefined) ?? {};
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, [AUDIT_ROUTE_CONFIG]: options }, handler);
    return descriptor;
  };
