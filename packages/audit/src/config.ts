import { secret } from '@casebook/platform';
import { z } from 'zod';

/**
 * Keys used when none are configured, so `pnpm start` and tests work without setup. They are public
 * (they are in this file), so a production process refuses to start with them.
 */
export const DEV_PSEUDONYM_KEY = 'casebook-dev-audit-pseudonym-key-not-for-production';
export const DEV_SIGNING_KEY = 'Y2FzZWJvb2stZGV2LWF1ZGl0LXNpZ25pbmcta2V5ISE=';

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** The audit variables a service adds to its schema: `baseConfigSchema(...).extend(auditConfigShape)`. */
export const auditConfigShape = {
  /** HMAC key for pseudonyms (actors, emails, IPs). Rotating it breaks linkage with older events. */
  AUDIT_PSEUDONYM_KEY: secret(z.string().min(32).default(DEV_PSEUDONYM_KEY)),
  /** Ed25519 private key for checkpoints: PKCS#8 PEM or base64 32-byte seed (`keygen` CLI). */
  AUDIT_SIGNING_KEY: secret(z.string().min(40).default(DEV_SIGNING_KEY)),
  AUDIT_STREAM_KEY: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/)
    .default('audit:events'),
  AUDIT_CONSUMER_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/)
    .default('audit-writers'),
  /** What a request does when neither Redis nor Postgres takes its audit event (see AuditRecorder). */
  AUDIT_FAILURE_MODE: z.enum(['closed', 'open']).default('closed'),
  /** Events per Postgres transaction. */
  AUDIT_BATCH_SIZE: int(1, 5_000, 500),
  AUDIT_BLOCK_MS: int(10, 30_000, 1_000),
  /** A consumer silent this long is presumed dead; its pending entries are taken over. */
  AUDIT_CLAIM_IDLE_MS: int(100, 3_600_000, 30_000),
  AUDIT_OUTBOX_POLL_MS: int(10, 60_000, 250),
  /** How often the chain head is signed (when it moved). */
  AUDIT_CHECKPOINT_INTERVAL_MS: int(100, 86_400_000, 60_000),
  /** Event ids are remembered this long for deduplication; longer than any redelivery can take. */
  AUDIT_DEDUPE_RETENTION_DAYS: int(1, 3_650, 35),
};

export const auditConfigSchema = z.object(auditConfigShape);

export type AuditConfig = z.infer<typeof auditConfigSchema>;

/** Refuses the public development keys outside development and test. */
export function assertAuditKeys(
  config: Pick<AuditConfig, 'AUDIT_PSEUDONYM_KEY' | 'AUDIT_SIGNING_KEY'>,
  nodeEnv: string,
): void {
  if (nodeEnv !== 'production') return;
  const problems: string[] = [];
  if (config.AUDIT_PSEUDONYM_KEY === DEV_PSEUDONYM_KEY) problems.push('AUDIT_PSEUDONYM_KEY');
  if (config.AUDIT_SIGNING_KEY === DEV_SIGNING_KEY) problems.push('AUDIT_SIGNING_KEY');
  if (problems.length > 0) {
    throw new Error(`${problems.join(' and ')} must be set in production (the defaults are public)`);
  }
}
