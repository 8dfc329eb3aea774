import type { FastifyRequest } from 'fastify';
import { type AuthorizationDenial, authorizationDenialOf, markAuthorizationDenied } from '@casebook/auth';
import type { AuditActorInput, AuditInput } from '../events/build-event';

/**
 * The parts of an audit event a request provides: actor (the principal the auth guard set), client IP,
 * request id. For code that records by hand, e.g. the auth guard on a denial:
 * `recorder.record({ ...fromRequest(request), action: 'authz.denied', outcome: 'denied', details })`.
 */
export function fromRequest(request: FastifyRequest): Pick<AuditInput, 'actor' | 'ip' | 'requestId'> {
  return { actor: actorOf(request), ip: request.ip, requestId: request.id };
}

/** The principal the auth guard set on the request, as an audit actor (null when nobody signed in). */
export function actorOf(request: FastifyRequest): AuditActorInput | null {
  const principal = request.principal;
  return principal
    ? { kind: principal.kind, id: principal.id, roles: principal.roles, actingFor: principal.actingFor }
    : null;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The `Idempotency-Key` of an unsafe request, which makes its event id deterministic. */
export function idempotencyKeyOf(request: FastifyRequest): string | null {
  if (!UNSAFE.has(request.method)) return null;
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  return key && key.length <= 255 ? key : null;
}

/**
 * Why a request was denied, as the audit hook records it. The registry is the one the permission guard of
 * `@casebook/auth` writes to (`markAuthorizationDenied`); other guards use `setAuditDenial`. Every 403 is recorded
 * as `authz.denied` with these details; a 401 only when a guard marked it (a failed sign-in is not a denial).
 */
export type DenialDetails = AuthorizationDenial;

export const setAuditDenial: (request: FastifyRequest, details: DenialDetails) => void = markAuthorizationDenied;

export const auditDenialOf: (request: FastifyRequest) => DenialDetails | undefined = authorizationDenialOf;
