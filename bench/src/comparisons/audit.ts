import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Comparison, HttpContender } from '../harness/types';
import type { ComparisonContext } from './baseline';

// The fixture service of packages/audit (compiled with it): platform stack, a header-named principal, one
// read route marked @Audited. Started twice, with and without AuditModule, so the only difference between
// the two contenders is the audit interceptor and its XADD.
const FIXTURE = ['packages', 'audit', 'dist', 'testing', 'fixture-api.js'];

function fixture(repoRoot: string, name: string, label: string, audited: boolean, route: string): HttpContender {
  const main = path.join(repoRoot, ...FIXTURE);
  const contender: HttpContender = {
    kind: 'http',
    name,
    label,
    server: {
      command: process.execPath,
      args: [main],
      cwd: repoRoot,
      env: {
        LOG_LEVEL: 'warn',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/casebook_audit_bench',
        REDIS_KEY_PREFIX: 'bench:audit:',
        AUDIT_FIXTURE_MIGRATE: 'true',
        AUDIT_FIXTURE_AUDITED: String(audited),
        // No consumer runs during the measurement (on two cores it would take the server's or the
        // generator's core); the stream is trimmed once a second instead so Redis memory stays bounded.
        AUDIT_FIXTURE_TRIM_STREAM: 'true',
      },
    },
    readyPath: '/health/ready',
    path: route,
    headers: { 'x-test-user': 'bench-user-1', 'x-test-roles': 'analyst' },
    startTimeoutMs: 30_000,
  };
  if (!existsSync(main)) contender.skipReason = `${FIXTURE.join('/')} not found (pnpm build)`;
  return contender;
}

const THING = '/v1/things/0190d1b2-7c3e-7a1b-8c9d-0123456789ab';

/**
 * Q6.1: what auditing costs an endpoint. The same Nest + Fastify read (one Postgres round trip, as a
 * conversation read has at least) with auditing off and on: on, the response waits until its event is in
 * the Redis stream (events of one event-loop turn share one XADD).
 */
export function auditComparison(context: ComparisonContext): Comparison {
  return {
    name: 'audit',
    title: 'Audit: the same Postgres-backed read with auditing off and on',
    description:
      'GET /v1/things/:id/stored on the audit fixture service (platform stack, principal from a header, one ' +
      'Postgres query). "audit-on" records conversation.read for every request and answers only once the event is ' +
      'durable in the Redis stream; the ratio column divides by "audit-off".',
    reference: 'audit-off',
    contenders: [
      fixture(context.repoRoot, 'audit-off', 'read without AuditModule', false, `${THING}/stored`),
      fixture(context.repoRoot, 'audit-on', 'read with @Audited (XADD before the response)', true, `${THING}/stored`),
    ],
  };
}

/** The worst case: a route that does nothing else, so the difference is the audit path's own cost. */
export function auditOverheadComparison(context: ComparisonContext): Comparison {
  return {
    name: 'audit-overhead',
    title: 'Audit: a route that does nothing else, auditing off and on',
    description:
      'GET /v1/things/:id on the audit fixture service answers from memory, so the difference between the two rows ' +
      'is the cost of building, serialising and XADDing the event.',
    reference: 'audit-off',
    contenders: [
      fixture(context.repoRoot, 'audit-off', 'in-memory route without AuditModule', false, THING),
      fixture(context.repoRoot, 'audit-on', 'in-memory route with @Audited', true, THING),
    ],
  };
}
