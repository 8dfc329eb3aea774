import type { FastifyRequest } from 'fastify';
import { authorizationDenialOf } from '@casebook/auth';
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

export interface DenialDetails {
  permission?: { action: string; subject: string };
  /** Free text; redacted before it is stored. */
  reason?: string;
}

const denials = new WeakMap<FastifyRequest, DenialDetails>();

/**
 * For the auth guard: says why it denies this request. The audit hook records every 403 as `authz.denied`
 * with these details; a 401 is recorded only when the guard called this (a failed sign-in is not a denial).
 */
export function setAuditDenial(request: FastifyRequest, details: DenialDetails): void {
  denials.set(request, details);
}

/** What this request's denial is recorded with: set here, or by the permission guard of `@casebook/auth`. */
export function auditDenialOf(request: FastifyRequest): DenialDetails | undefined {
  return denials.get(request) ?? authorizationDenialOf(request);
}
