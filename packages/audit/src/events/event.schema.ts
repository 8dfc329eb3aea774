import { z } from 'zod';
import { PSEUDONYM_PATTERN } from '../privacy/pseudonymizer';
import { AUDIT_ACTIONS, AUDIT_ACTION_NAMES, type AuditAction } from './actions';

/** Bumped when the meaning or shape of a stored event changes; readers keep understanding older ones. */
export const AUDIT_EVENT_VERSION = 1;

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const ACTOR_TYPES = ['user', 'api_key', 'service', 'anonymous', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

const pseudonym = z.string().regex(PSEUDONYM_PATTERN);
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
/** Millisecond ISO-8601 in UTC, the only time format the chain hashes (it round-trips through timestamptz). */
export const isoMillis = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
// The patterns are exported too: the request path tests them directly, zod is for whole events.
export const ROLE_NAME = /^[a-z][a-z0-9_]{0,63}$/;
export const RESOURCE_TYPE = /^[a-z][a-z0-9_]{0,63}$/;
export const RESOURCE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const roleName = z.string().regex(ROLE_NAME);
export const resourceType = z.string().regex(RESOURCE_TYPE);
export const resourceId = z.string().regex(RESOURCE_ID);

/**
 * An audit event as it is stored, chained and exported (schema version 1). Everything that could
 * identify a person is already pseudonymised or truncated here; see `buildAuditEvent`.
 */
export const auditEventSchema = z
  .object({
    v: z.literal(AUDIT_EVENT_VERSION),
    id: uuid,
    occurredAt: isoMillis,
    action: z.enum(AUDIT_ACTION_NAMES),
    outcome: z.enum(AUDIT_OUTCOMES),
    actor: z
      .object({
        type: z.enum(ACTOR_TYPES),
        pseudonym: pseudonym.nullable(),
        roles: z.array(roleName).max(16),
        /** A service acting for a user: that user's pseudonym. */
        onBehalfOf: pseudonym.nullable(),
      })
      .strict(),
    resource: z.object({ type: resourceType, id: resourceId.nullable() }).strict().nullable(),
    requestId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/)
      .nullable(),
    traceId: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .nullable(),
    source: z.object({ ipPrefix: z.string().max(64).nullable(), ipPseudonym: pseudonym.nullable() }).strict(),
    details: z.record(z.unknown()),
  })
  .strict()
  .transform((event, ctx) => {
    const parsed = AUDIT_ACTIONS[event.action].safeParse(event.details);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: ['details', ...issue.path] });
      return z.NEVER;
    }
    return { ...event, details: parsed.data as Record<string, unknown> };
  });

export type AuditEvent = z.output<typeof auditEventSchema>;

export interface AuditEventOf<A extends AuditAction> extends Omit<AuditEvent, 'action'> {
  action: A;
}
