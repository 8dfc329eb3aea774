import type { Provider } from '@nestjs/common';
import {
  AUTH_EVENT_SINK,
  type AuthEvent,
  type AuthEventContext,
  type AuthEventSink,
  type TransactionExecutor,
} from '@casebook/auth';
import { AuditRecorder } from '../capture/recorder';
import type { AuditInput } from '../events/build-event';

/** One identity event as an audit event: the actor is who acted, the resource what it acted on. */
export function auditInputOfAuthEvent(event: AuthEvent, context: AuthEventContext): AuditInput {
  const base = { ip: context.ip, requestId: context.requestId };
  const principal = context.principal;
  const signedIn = principal
    ? { kind: principal.kind, id: principal.id, roles: principal.roles, actingFor: principal.actingFor }
    : null;
  const self = (userId: string) => signedIn ?? { kind: 'user' as const, id: userId };
  const user = (userId: string) => ({ type: 'user', id: userId });
  switch (event.action) {
    case 'auth.sign_in.succeeded':
      return {
        ...base,
        action: event.action,
        outcome: 'success',
        actor: self(event.userId),
        details: { method: 'password' },
      };
    case 'auth.sign_in.failed':
      // The email is pseudonymised by the event builder; it is never stored as given.
      return {
        ...base,
        action: event.action,
        outcome: 'failure',
        actor: { kind: 'anonymous', email: event.email },
        details: { reason: event.reason },
      };
    case 'auth.token.refreshed':
      return {
        ...base,
        action: event.action,
        outcome: 'success',
        actor: self(event.userId),
        details: { familyId: event.familyId },
      };
    case 'auth.token.reuse_detected':
      // Whoever presented the token may not be the user; the family (and so the user) is the resource.
      return {
        ...base,
        action: event.action,
        outcome: 'denied',
        actor: { kind: 'anonymous' },
        resource: user(event.userId),
        details: { familyId: event.familyId },
      };
    case 'auth.signed_out':
      return {
        ...base,
        action: event.action,
        outcome: 'success',
        actor: self(event.userId),
        details: { everywhere: event.everywhere },
      };
    case 'auth.token.revoked':
      return {
        ...base,
        action: event.action,
        outcome: 'success',
        actor: signedIn,
        resource: user(event.userId),
        details: { everywhere: true },
      };
    case 'admin.user.created':
    case 'admin.user.updated':
    case 'admin.user.deleted':
      return {
        ...base,
        action: event.action,
        outcome: 'success',
        actor: signedIn,
        resource: user(event.userId),
        details: event.fields ? { fields: event.fields } : {},
      };
    case 'admin.role.created':
    case 'admin.role.updated':
      return {
        ...base,
        action: event.action,
        outcome: 'success',
        actor: signedIn,
        resource: { type: 'role', id: event.role },
        details: { permissions: event.permissions },
      };
    case 'admin.role.deleted':
      return {
        ...base,
        action: event.action,
        outcome: 'success',
        actor: signedIn,
        resource: { type: 'role', id: event.role },
      };
    case 'admin.api_key.created':
      return {
        ...base,
        action: event.action,
        outcome: 'success',
        actor: signedIn,
        resource: { type: event.kind, id: event.keyId },
        details: { scopes: event.scopes },
      };
    case 'admin.api_key.revoked':
      return {
        ...base,
        action: event.action,
        outcome: 'success',
        actor: signedIn,
        resource: { type: 'api_key', id: event.keyId },
      };
  }
}

/** Records the identity provider's events in the audit log. */
export class AuditAuthEventSink implements AuthEventSink {
  constructor(private readonly recorder: AuditRecorder) {}

  async record(event: AuthEvent, context: AuthEventContext): Promise<void> {
    await this.recorder.record(auditInputOfAuthEvent(event, context));
  }

  async recordInTransaction(tx: TransactionExecutor, event: AuthEvent, context: AuthEventContext): Promise<void> {
    await this.recorder.recordInTransaction(tx, auditInputOfAuthEvent(event, context));
  }
}

/** For `IdentityModule.forRoot({ events: auditAuthEvents() })`; needs `AuditModule` (global) in the app. */
export function auditAuthEvents(): Provider {
  return {
    provide: AUTH_EVENT_SINK,
    inject: [AuditRecorder],
    useFactory: (recorder: AuditRecorder) => new AuditAuthEventSink(recorder),
  };
}
