import type { FastifyRequest } from 'fastify';
import type { Principal } from '../principal';

/**
 * Security events of the identity provider (Q6.1: sign-ins, refreshes, reuse, sign-outs, admin changes).
 * The auth package says what happened; a sink decides where it goes. `@casebook/audit` provides the
 * sink that makes each one a tamper-evident audit event, so this package does not depend on the audit log.
 */
export type AuthEvent =
  | { action: 'auth.sign_in.succeeded'; userId: string }
  | { action: 'auth.sign_in.failed'; email: string; reason: 'unknown_user' | 'bad_password' | 'rate_limited' }
  | { action: 'auth.token.refreshed'; userId: string; familyId: string }
  | { action: 'auth.token.reuse_detected'; userId: string; familyId: string }
  | { action: 'auth.signed_out'; userId: string; everywhere: boolean }
  | { action: 'auth.token.revoked'; userId: string; reason: 'compromise' | 'password_change' }
  | { action: 'admin.user.created' | 'admin.user.updated' | 'admin.user.deleted'; userId: string; fields?: string[] }
  | { action: 'admin.user.listed'; returned: number }
  | { action: 'admin.user.read'; userId: string }
  | { action: 'admin.role.created' | 'admin.role.updated'; role: string; permissions: number }
  | { action: 'admin.role.deleted'; role: string }
  | { action: 'admin.api_key.created'; keyId: string; kind: 'api_key' | 'service_client'; scopes: string[] }
  | { action: 'admin.api_key.revoked'; keyId: string };

/** Who caused the event and from where; taken from the request. */
export interface AuthEventContext {
  principal: Principal | null;
  ip: string;
  requestId: string;
}

/** Something that can run SQL inside the caller's transaction (a TypeORM EntityManager). */
export interface TransactionExecutor {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface AuthEventSink {
  /** Resolves once the event is durable; the response waits for it. */
  record(event: AuthEvent, context: AuthEventContext): Promise<void>;
  /** Written in the transaction of the change it describes: the change never exists without its record. */
  recordInTransaction(tx: TransactionExecutor, event: AuthEvent, context: AuthEventContext): Promise<void>;
}

/** Optional provider: without one (a resource server, a unit test), events go nowhere. */
export const AUTH_EVENT_SINK = Symbol('AUTH_EVENT_SINK');

export const NO_AUTH_EVENTS: AuthEventSink = {
  record: () => Promise.resolve(),
  recordInTransaction: () => Promise.resolve(),
};

export function authEventContext(request: FastifyRequest): AuthEventContext {
  return { principal: request.principal ?? null, ip: request.ip, requestId: request.id };
}

/** What the permission guard says about a denial, for whoever records denials (the audit log). */
export interface AuthorizationDenial {
  permission?: { action: string; subject: string };
  reason?: string;
}

const denials = new WeakMap<FastifyRequest, AuthorizationDenial>();

export function markAuthorizationDenied(request: FastifyRequest, denial: AuthorizationDenial): void {
  denials.set(request, denial);
}

export function authorizationDenialOf(request: FastifyRequest): AuthorizationDenial | undefined {
  return denials.get(request);
}
