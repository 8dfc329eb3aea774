import { buildAuditEvent, type AuditEvent, type AuditInput, Pseudonymizer } from '../../src';
import { defineFactory } from '@casebook/testing';

export const TEST_PSEUDONYM_KEY = 'test-pseudonym-key-0123456789abcdef0123456789';
export const pseudonymizer = new Pseudonymizer(TEST_PSEUDONYM_KEY);

/** `buildInput({ action: 'message.created' })`: a valid audit input with overrides. */
export const buildInput = defineFactory<AuditInput>((n) => ({
  action: 'conversation.read',
  outcome: 'success',
  actor: { kind: 'user', id: `user-${n}`, roles: ['analyst'] },
  resource: { type: 'conversation', id: `c-${n}` },
  ip: `198.51.100.${n % 250}`,
  requestId: `req-${n}`,
  traceId: null,
}));

export function buildEvent(overrides: Partial<AuditInput> = {}): AuditEvent {
  return buildAuditEvent(buildInput(overrides), pseudonymizer);
}

export function buildEvents(count: number, overrides: Partial<AuditInput> = {}): AuditEvent[] {
  return Array.from({ length: count }, () => buildEvent(overrides));
}
