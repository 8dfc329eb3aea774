import { trace } from '@opentelemetry/api';
import { RequestContextStore, isWellFormedRequestId } from '@casebook/platform';
import { truncateIp, normaliseIp } from '../privacy/ip';
import type { Pseudonymizer } from '../privacy/pseudonymizer';
import { redactFreeText } from '../privacy/redact';
import { AUDIT_ACTIONS, type AuditAction, type AuditDetails } from './actions';
import {
  AUDIT_EVENT_VERSION,
  type AuditEvent,
  type AuditOutcome,
  RESOURCE_ID,
  RESOURCE_TYPE,
  ROLE_NAME,
} from './event.schema';
import { uuidv7, uuidv8FromDigest } from './uuid';

/** Who acted, as the caller knows it (a `Principal` from @casebook/auth fits the first shape). */
export type AuditActorInput =
  | {
      kind: 'user' | 'api_key' | 'service';
      id: string;
      roles?: readonly string[];
      actingFor?: { id: string } | undefined;
    }
  /** Not signed in; a sign-in attempt names the email it tried, which is pseudonymised. */
  | { kind: 'anonymous'; email?: string | undefined }
  /** casebook itself (archival, scheduled jobs). */
  | { kind: 'system' };

export interface AuditInput<A extends AuditAction = AuditAction> {
  action: A;
  outcome: AuditOutcome;
  actor?: AuditActorInput | null;
  resource?: { type: string; id?: string | null } | null;
  details?: AuditDetails<A>;
  /** Client address as seen by the server; stored truncated and pseudonymised, never as is. */
  ip?: string | null;
  /** Defaults to the current request's id and trace (AsyncLocalStorage, OpenTelemetry). */
  requestId?: string | null;
  traceId?: string | null;
  occurredAt?: Date;
  /**
   * The `Idempotency-Key` of the request. A retried request with the same key is the same operation,
   * so it gets the same event id and is stored once (see `deterministicEventId`).
   */
  idempotencyKey?: string | null;
}

/** Resource types whose ids are personal: stored as the same pseudonym the actor of that id gets. */
const PERSONAL_RESOURCES: Record<string, 'user' | 'api_key'> = { user: 'user', api_key: 'api_key' };

const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Same key, actor, action and outcome (with HTTP status) within one UTC day → same id. A failed attempt
 * and its successful retry are two events; two successful attempts are one operation, one event. The day is in the input so that reusing a key
 * after the idempotency store forgot it (24 h, ARCHITECTURE §3) never collapses two real operations into
 * one record; a retry that straddles midnight is recorded twice, which errs on the side of more audit.
 */
export function deterministicEventId(
  pseudonymizer: Pseudonymizer,
  parts: {
    actorType: string;
    actor: string | null;
    action: string;
    outcome: string;
    status: unknown;
    idempotencyKey: string;
    occurredAt: Date;
  },
): string {
  const day = String(Math.floor(parts.occurredAt.getTime() / DAY_MS));
  return uuidv8FromDigest(
    pseudonymizer.digest('idempotency', [
      parts.actorType,
      parts.actor ?? '',
      parts.action,
      parts.outcome,
      String(parts.status ?? ''),
      parts.idempotencyKey,
      day,
    ]),
  );
}

// Most recorded events carry only the HTTP status. For actions whose details are all optional, that case
// is checked here directly; zod would cost more than the rest of the event (this runs on the request path).
const STATUS_ONLY_OK = new Set(
  (Object.keys(AUDIT_ACTIONS) as AuditAction[]).filter((action) => AUDIT_ACTIONS[action].safeParse({}).success),
);

function validDetails(action: AuditAction, details: unknown): Record<string, unknown> {
  if (details === undefined && STATUS_ONLY_OK.has(action)) return {};
  if (details !== null && typeof details === 'object' && STATUS_ONLY_OK.has(action)) {
    const keys = Object.keys(details);
    const status = (details as { status?: unknown }).status;
    if (
      keys.length === 1 &&
      keys[0] === 'status' &&
      Number.isInteger(status) &&
      (status as number) >= 100 &&
      (status as number) <= 599
    ) {
      return { status };
    }
  }
  return AUDIT_ACTIONS[action].parse(details ?? {}) as Record<string, unknown>;
}

// A server sees the same client addresses again and again: derive each one's prefix and pseudonym once.
const sources = new WeakMap<Pseudonymizer, Map<string, AuditEvent['source']>>();

function sourceOf(raw: string, pseudonymizer: Pseudonymizer): AuditEvent['source'] {
  let cache = sources.get(pseudonymizer);
  if (!cache) sources.set(pseudonymizer, (cache = new Map()));
  const hit = cache.get(raw);
  if (hit) return { ...hit };
  const ip = normaliseIp(raw);
  const source = { ipPrefix: ip ? truncateIp(ip) : null, ipPseudonym: ip ? pseudonymizer.pseudonym('ip', ip) : null };
  if (cache.size >= 10_000) cache.delete(cache.keys().next().value!);
  cache.set(raw, source);
  return { ...source };
}

function currentTraceId(): string | null {
  const context = trace.getActiveSpan()?.spanContext();
  return context && context.traceId !== '00000000000000000000000000000000' ? context.traceId : null;
}

function actorOf(input: AuditActorInput | null | undefined, pseudonymizer: Pseudonymizer): AuditEvent['actor'] {
  if (!input) return { type: 'anonymous', pseudonym: null, roles: [], onBehalfOf: null };
  switch (input.kind) {
    case 'anonymous':
      return {
        type: 'anonymous',
        pseudonym: input.email ? pseudonymizer.email(input.email) : null,
        roles: [],
        onBehalfOf: null,
      };
    case 'system':
      return { type: 'system', pseudonym: null, roles: [], onBehalfOf: null };
    default:
      return {
        type: input.kind,
        pseudonym: pseudonymizer.pseudonym(input.kind, input.id),
        roles: (input.roles ?? []).filter((role) => ROLE_NAME.test(role)).slice(0, 16),
        onBehalfOf: input.actingFor ? pseudonymizer.pseudonym('user', input.actingFor.id) : null,
      };
  }
}

/** The resource as stored: personal ids (users, API keys) and id-shaped secrets become pseudonyms. */
export function resourceOf(input: AuditInput['resource'], pseudonymizer: Pseudonymizer): AuditEvent['resource'] {
  if (!input) return null;
  const type = input.type;
  if (!RESOURCE_TYPE.test(type)) throw new TypeError(`audit resource type '${type}' is not a lower_snake_case name`);
  if (input.id === undefined || input.id === null) return { type, id: null };
  const personal = PERSONAL_RESOURCES[type];
  if (personal) return { type, id: pseudonymizer.pseudonym(personal, input.id) };
  // An id that is not a plain identifier, or that looks like an address or a token, is pseudonymised
  // rather than trusted. UUIDs and short slugs (nearly every id) skip the redaction patterns.
  const plain =
    RESOURCE_ID.test(input.id) &&
    (UUID.test(input.id) || (input.id.length < 20 && !/[.:]/.test(input.id)) || redactFreeText(input.id) === input.id);
  return { type, id: plain ? input.id : pseudonymizer.pseudonym('resource', `${type}:${input.id}`) };
}

/**
 * Turns what the caller knows into the event that is stored: pseudonymised actor and IP, typed and
 * validated details with free text redacted, request and trace ids from the current context. Throws
 * (a programming error) when the details do not match the action's schema.
 */
export function buildAuditEvent<A extends AuditAction>(input: AuditInput<A>, pseudonymizer: Pseudonymizer): AuditEvent {
  const occurredAt = input.occurredAt ?? new Date();
  const actor = actorOf(input.actor, pseudonymizer);
  const details = validDetails(input.action, input.details);
  const requestId = input.requestId === undefined ? (RequestContextStore.requestId() ?? null) : input.requestId;
  return {
    v: AUDIT_EVENT_VERSION,
    id: input.idempotencyKey
      ? deterministicEventId(pseudonymizer, {
          actorType: actor.type,
          actor: actor.pseudonym,
          action: input.action,
          outcome: input.outcome,
          status: details.status,
          idempotencyKey: input.idempotencyKey,
          occurredAt,
        })
      : uuidv7(occurredAt.getTime()),
    occurredAt: occurredAt.toISOString(),
    action: input.action,
    outcome: input.outcome,
    actor,
    resource: resourceOf(input.resource, pseudonymizer),
    requestId: requestId && isWellFormedRequestId(requestId) ? requestId : null,
    traceId: input.traceId === undefined ? currentTraceId() : input.traceId,
    source: input.ip ? sourceOf(input.ip, pseudonymizer) : { ipPrefix: null, ipPseudonym: null },
    details,
  };
}
