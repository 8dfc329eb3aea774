import type { Provider } from '@nestjs/common';
import {
  AUTH_EVENT_SINK,
  type AuthEvent,
  type AuthEventContext,
  type AuthEventSink,
  type TransactionExecutor,
} from '@casebook/auth';
import { AuditRecorder } from '../capture/recorder';
import type { AuditActorInput, AuditInput } from '../events/build-event';

/** One identity event as an audit event: the actor is who acted, the resource what it acted on. */
export function auditInputOfAuthEvent(event: AuthEvent, context: AuthEventContext): AuditInput {
  const principal = context.principal;
  const signedIn: AuditActorInput | null = principal
    ? { kind: principal.kind, id: principal.id, roles: principal.roles, actingFor: principal.actingFor }
    : null;
  const self = (userId: string): AuditActorInput => signedIn ?? { kind: 'user', id: userId };
  const input = (
    outcome: AuditInput['outcome'],
    actor: AuditActorInput | null,
    resource: AuditInput['resource'],
    details: Record<string, unknown> = {},
  ): AuditInput =>
    ({
      action: event.action,
      outcome,
      actor,
      resource,
      details,
      ip: context.ip,
      requestId: context.requestId,
    }) as AuditInput;
  switch (event.action) {
    case 'auth.sign_in.succeeded':
      return input('success', self(event.userId), null, { method: 'password' });
    case 'auth.sign_in.failed':
      // The email is pseudonymised by the event builder; it is never stored as given.
      return input('failure', { kind: 'anonymous', email: event.email }, null, { reason: event.reason });
    case 'auth.token.refreshed':
      return input('success', self(event.userId), null, { familyId: event.familyId });
    case 'auth.token.reuse_detected':
      // Whoever presented the token may not be the user; the family (and so the user) is the resource.
      return input('denied', { kind: 'anonymous' }, { type: 'user', id: event.userId }, { familyId: event.familyId });
    case 'auth.signed_out':
      return input('success', self(event.userId), null, { everywhere: event.everywhere });
    case 'auth.token.revoked':
      return input('success', signedIn, { type: 'user', id: event.userId }, { everywhere: true });
    case 'admin.user.created':
    case 'admin.user.updated':
    case 'admin.user.deleted':
      return input(
        'success',
        signedIn,
        { type: 'user', id: event.userId },
        event.fields ? { fields: event.fields } : {},
      );
    case 'admin.user.listed':
      return input('success', signedIn, { type: 'user' }, { returned: event.returned });
    case 'admin.user.read':
      return input('success', signedIn, { type: 'user', id: event.userId });
    case 'admin.role.created':
    case 'admin.role.updated':
      return input('success', signedIn, { type: 'role', id: event.role }, { permissions: event.permissions });
    case 'admin.role.deleted':
      return input('success', signedIn, { type: 'role', id: event.role });
    case 'admin.api_key.created':
      return input('success', signedIn, { type: event.kind, id: event.keyId }, { scopes: event.scopes });
    case 'admin.api_key.revoked':
      return input('success', signedIn, { type: 'api_key', id: event.keyId });
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
