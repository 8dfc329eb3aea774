import { z } from 'zod';
import { redactFreeText } from '../privacy/redact';

// Q6.1: what is audited. One entry per action, each with the only details it may carry. Nothing here
// has room for a password, a token, an email, an IP or message text: those never reach the log.

const id = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/);
const name = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/);
const fieldNames = z.array(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/)).max(32);
/** Free text written by code or people (a denial reason, a note): redacted as it is parsed. */
const freeText = z.string().max(4_000).transform(redactFreeText);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Every details object may carry the HTTP status the request ended with. */
const details = <S extends z.ZodRawShape>(shape: S) =>
  z.object({ ...shape, status: z.number().int().min(100).max(599).optional() }).strict();

const changed = details({ fields: fieldNames.optional() });

export const AUDIT_ACTIONS = {
  // Identity
  'auth.sign_in.succeeded': details({ method: z.enum(['password', 'api_key', 'service_token']).optional() }),
  'auth.sign_in.failed': details({
    reason: z.enum(['unknown_user', 'bad_password', 'locked', 'disabled', 'rate_limited', 'invalid_request']),
  }),
  'auth.token.refreshed': details({ familyId: id.optional() }),
  'auth.token.reuse_detected': details({ familyId: id.optional(), revokedTokens: count.optional() }),
  'auth.token.revoked': details({ familyId: id.optional(), everywhere: z.boolean().optional() }),
  'auth.signed_out': details({ everywhere: z.boolean().optional() }),
  'authz.denied': details({
    permission: z.object({ action: name, subject: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/) }).optional(),
    reason: freeText.optional(),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).optional(),
    /** The route template (`/v1/conversations/:id`), never the URL with its values. */
    route: z
      .string()
      .regex(/^\/[A-Za-z0-9/:_.*{}-]{0,199}$/)
      .optional(),
  }),
  // Administration (users, roles, keys; later cache and moderation rules)
  'admin.user.created': changed,
  'admin.user.updated': changed,
  'admin.user.deleted': changed,
  'admin.user.listed': details({ returned: count.optional() }),
  'admin.user.read': details({}),
  'admin.role.created': details({ fields: fieldNames.optional(), permissions: count.optional() }),
  'admin.role.updated': details({ fields: fieldNames.optional(), permissions: count.optional() }),
  'admin.role.deleted': changed,
  'admin.role.assigned': details({ role: name }),
  'admin.role.unassigned': details({ role: name }),
  'admin.api_key.created': details({ scopes: z.array(z.string().max(64)).max(32).optional() }),
  'admin.api_key.revoked': changed,
  'admin.cache.invalidated': details({
    dataset: name.optional(),
    tag: z.string().max(128).optional(),
    keys: count.optional(),
    dryRun: z.boolean().optional(),
  }),
  'admin.cache.warmed': details({ dataset: name.optional(), keys: count.optional() }),
  'admin.rules.changed': details({ ruleSet: name.optional(), version: count.optional(), state: name.optional() }),
  // Conversations (reads and writes; never their text)
  'conversation.created': details({}),
  'conversation.listed': details({ returned: count.optional() }),
  'conversation.read': details({}),
  'conversation.deleted': details({}),
  'message.created': details({ length: count.optional(), intent: name.optional() }),
  'message.read': details({}),
  // Insights (region-scoped reads)
  'insight.listed': details({ returned: count.optional() }),
  'insight.read': details({}),
  // Data subject rights
  'data.exported': details({ format: z.enum(['json', 'jsonl', 'csv']).optional(), rows: count.optional() }),
  'data.erasure_requested': details({ scope: z.enum(['self', 'admin']).optional() }),
  'data.erased': details({ scope: z.enum(['self', 'admin']).optional(), rows: count.optional() }),
  // The audit log itself
  'audit.events.read': details({ filters: fieldNames.optional(), returned: count.optional() }),
  'audit.checkpoints.read': details({ returned: count.optional() }),
  'audit.checkpoints.exported': details({ returned: count.optional() }),
  'audit.anomalies.read': details({ returned: count.optional() }),
  'audit.partition.archived': details({
    partition: z.string().regex(/^audit_events_\d{4}_\d{2}$/),
    fromSeq: count,
    toSeq: count,
    events: count,
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
} as const satisfies Record<string, z.ZodTypeAny>;

export type AuditActionCatalog = typeof AUDIT_ACTIONS;
export type AuditAction = keyof AuditActionCatalog;
export type AuditDetails<A extends AuditAction> = z.input<AuditActionCatalog[A]>;

export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]];

export function isAuditAction(value: string): value is AuditAction {
  return Object.prototype.hasOwnProperty.call(AUDIT_ACTIONS, value);
}
