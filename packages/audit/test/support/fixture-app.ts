import { createTestApp, type TestApp } from '@casebook/testing';
import type { Env } from '@casebook/platform';
import { FixtureModule, loadFixtureConfig } from '../../src/testing';
import type { AuditTestEnvironment } from './audit-environment';

/** The fixture service in-process: audited routes, the auditor API and the consumer, on the test database. */
export function startFixtureApp(env: AuditTestEnvironment, overrides: Env = {}): Promise<TestApp> {
  const config = loadFixtureConfig(
    env.env({
      AUDIT_BLOCK_MS: '50',
      AUDIT_OUTBOX_POLL_MS: '50',
      AUDIT_CHECKPOINT_INTERVAL_MS: '60000',
      ...overrides,
    }),
  );
  return createTestApp({
    config,
    module: (c, logDestination) => FixtureModule.forRoot(c, { api: true, consumer: true, logDestination }),
  });
}
