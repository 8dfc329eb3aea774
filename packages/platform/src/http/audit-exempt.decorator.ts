import { SetMetadata } from '@nestjs/common';

/** Where `@Audited` (in `@casebook/audit`) keeps its options, so the route inventory reads every decision. */
export const AUDITED_KEY = 'casebook:audited';
export const AUDIT_DECISION_KEY = 'casebook:audit-decision';

/** A route's audit decision when it is not `@Audited`. */
export type AuditDecision = { kind: 'service'; events: string } | { kind: 'exempt'; reason: string };

/**
 * Q6.1: the route's events are written by the code it calls, not by the route hook: the identity
 * provider's `AuthEventSink` (sign-ins, admin changes and reads), a change's own transaction
 * (`recordInTransaction`), or a stream that records before it opens. `events` names them.
 */
export const AuditedInService = (events: string) =>
  SetMetadata(AUDIT_DECISION_KEY, { kind: 'service', events } satisfies AuditDecision);

/**
 * Q6.1: a route that records nothing, and why: it serves no personal data (health, metrics, public keys,
 * public policy) or only the caller's own. The route inventory test fails on any route that declares
 * none of `@Audited`, `@AuditedInService` and `@AuditExempt`, so a new route cannot be forgotten.
 */
export const AuditExempt = (reason: string) =>
  SetMetadata(AUDIT_DECISION_KEY, { kind: 'exempt', reason } satisfies AuditDecision);
