import { baseConfigSchema, booleanFlag, type Env, loadConfig, secret } from '@casebook/platform';
import { z } from 'zod';
import { auditConfigShape } from '../config';

/**
 * Config of the fixture service the durability tests kill and the benchmark loads: a service's base
 * config plus the audit variables, plus switches only the fixture has.
 */
export const fixtureConfigSchema = baseConfigSchema({ port: 0, database: 'casebook_audit_fixture' })
  .extend(auditConfigShape)
  .extend({
    /** Off: the same app without AuditModule (the benchmark's "auditing off" contender). */
    AUDIT_FIXTURE_AUDITED: booleanFlag(true),
    /** Create the database and run the audit migrations before starting (benchmark runs). */
    AUDIT_FIXTURE_MIGRATE: booleanFlag(false),
    /**
     * Benchmark only: no consumer runs beside the server (it would take the cores being measured), so the
     * stream is trimmed once a second to stay bounded. Never set where the events matter.
     */
    AUDIT_FIXTURE_TRIM_STREAM: booleanFlag(false),
  });

export type FixtureConfig = z.infer<typeof fixtureConfigSchema>;

export function loadFixtureConfig(env: Env = process.env): FixtureConfig {
  return loadConfig(fixtureConfigSchema, env);
}

/** Config of `measure.js` (throughput and storage measurements, docs/performance.md). */
export const measureConfigSchema = z.object({
  /** A scratch database, dropped and created again by every run. */
  AUDIT_MEASURE_DATABASE_URL: secret(
    z.string().url().default('postgres://postgres@127.0.0.1:5432/casebook_audit_measure'),
  ),
  AUDIT_MEASURE_EVENTS: z.coerce.number().int().min(1_000).max(5_000_000).default(100_000),
});

export function loadMeasureConfig(env: Env = process.env) {
  return loadConfig(measureConfigSchema, env);
}
