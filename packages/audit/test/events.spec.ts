import { auditEventSchema, buildAuditEvent, deterministicEventId } from '../src';
import { buildInput, pseudonymizer } from './support/events';

describe('buildAuditEvent', () => {
  it('When a principal acts, then the event holds its pseudonym and roles, never its id', () => {
    const event = buildAuditEvent(
      buildInput({ actor: { kind: 'user', id: 'user-42', roles: ['analyst', 'Not A Role!'] } }),
      pseudonymizer,
    );
    expect(event.actor).toEqual({
      type: 'user',
      pseudonym: pseudonymizer.pseudonym('user', 'user-42'),
      roles: ['analyst'],
      onBehalfOf: null,
    });
    expect(JSON.stringify(event)).not.toContain('user-42');
    expect(auditEventSchema.parse(event)).toEqual(event);
  });

  it('When a sign-in fails for an email, then the email is pseudonymised and the IP truncated', () => {
    const event = buildAuditEvent(
      buildInput({
        action: 'auth.sign_in.failed',
        outcome: 'failure',
        actor: { kind: 'anonymous', email: 'victim@example.com' },
        resource: null,
        ip: '203.0.113.57',
        details: { reason: 'bad_password' },
      }),
      pseudonymizer,
    );
    expect(event.actor.pseudonym).toBe(pseudonymizer.email('victim@example.com'));
    expect(event.source).toEqual({
      ipPrefix: '203.0.113.0/24',
      ipPseudonym: pseudonymizer.pseudonym('ip', '203.0.113.57'),
    });
    expect(JSON.stringify(event)).not.toMatch(/victim@example\.com|203\.0\.113\.57/);
  });

  it('When details carry free text, then it is redacted; when they carry unknown fields, then the event is refused', () => {
    const event = buildAuditEvent(
      buildInput({
        action: 'authz.denied',
        outcome: 'denied',
        details: { reason: 'user bob@example.com tried from 10.1.2.3' },
      }),
      pseudonymizer,
    );
    expect(event.details.reason).toBe('user [email] tried from [ip]');
    expect(() =>
      buildAuditEvent(buildInput({ details: { content: 'the message text' } as never }), pseudonymizer),
    ).toThrow();
  });

  it('When details carry only an HTTP status, then the fast path accepts exactly what the schema accepts', () => {
    expect(buildAuditEvent(buildInput({ details: { status: 204 } }), pseudonymizer).details).toEqual({ status: 204 });
    expect(() => buildAuditEvent(buildInput({ details: { status: 99 } }), pseudonymizer)).toThrow();
    // An action whose details are required never takes the shortcut.
    expect(() =>
      buildAuditEvent(buildInput({ action: 'admin.role.assigned', details: { status: 200 } as never }), pseudonymizer),
    ).toThrow(/role/);
  });

  it('When the resource is a user or its id looks like an email, then the stored id is a pseudonym', () => {
    const user = buildAuditEvent(
      buildInput({ action: 'admin.user.updated', resource: { type: 'user', id: 'u-7' } }),
      pseudonymizer,
    );
    expect(user.resource).toEqual({ type: 'user', id: pseudonymizer.pseudonym('user', 'u-7') });
    const odd = buildAuditEvent(buildInput({ resource: { type: 'conversation', id: 'a@b.example' } }), pseudonymizer);
    expect(odd.resource?.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('When a request is retried with the same Idempotency-Key, then its event id is the same; a new key, a new id', () => {
    const at = new Date('2026-01-10T12:00:00Z');
    const first = buildAuditEvent(
      buildInput({ actor: { kind: 'user', id: 'u-1' }, idempotencyKey: 'k-1', occurredAt: at }),
      pseudonymizer,
    );
    const retry = buildAuditEvent(
      buildInput({
        actor: { kind: 'user', id: 'u-1' },
        idempotencyKey: 'k-1',
        occurredAt: new Date(at.getTime() + 5_000),
      }),
      pseudonymizer,
    );
    const other = buildAuditEvent(
      buildInput({ actor: { kind: 'user', id: 'u-1' }, idempotencyKey: 'k-2', occurredAt: at }),
      pseudonymizer,
    );
    expect(retry.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
  });

  it('When the same key is reused a day later or with another outcome, then the event id differs', () => {
    const base = { actorType: 'user', actor: 'p', action: 'conversation.created', idempotencyKey: 'k', status: 201 };
    const day1 = deterministicEventId(pseudonymizer, {
      ...base,
      outcome: 'success',
      occurredAt: new Date('2026-01-10T12:00:00Z'),
    });
    expect(
      deterministicEventId(pseudonymizer, {
        ...base,
        outcome: 'success',
        occurredAt: new Date('2026-01-11T12:00:00Z'),
      }),
    ).not.toBe(day1);
    expect(
      deterministicEventId(pseudonymizer, {
        ...base,
        outcome: 'failure',
        status: 500,
        occurredAt: new Date('2026-01-10T12:00:00Z'),
      }),
    ).not.toBe(day1);
  });

  it('When no id is derived, then ids are UUIDv7 in time order', () => {
    const a = buildAuditEvent(buildInput({ occurredAt: new Date('2026-01-10T12:00:00.000Z') }), pseudonymizer);
    const b = buildAuditEvent(buildInput({ occurredAt: new Date('2026-01-10T12:00:00.001Z') }), pseudonymizer);
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(a.id < b.id).toBe(true);
  });
});
