import { auditConfigShape } from '@casebook/audit';
import { tokenVerifierConfigSchema } from '@casebook/auth';
import { baseConfigSchema, loadConfig, type Env } from '@casebook/platform';
import { z } from 'zod';

export const SERVICE_NAME = 'moderation-service';
export const SERVICE_DEFAULTS = { port: 3002, database: 'casebook_moderation' } as const;

export const moderationConfigSchema = baseConfigSchema(SERVICE_DEFAULTS)
  .merge(tokenVerifierConfigSchema)
  // Rule publishes are audited (Q24.x, Q25.1); AUDIT_PSEUDONYM_KEY is the same in every service.
  .extend(auditConfigShape)
  .extend({
    /**
     * Q24.3: an instance that missed a publish announcement reads the active version this often, so it
     * serves a published rule set within this bound even without Redis.
     */
    MODERATION_RULES_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  });

export type ModerationConfig = z.infer<typeof moderationConfigSchema>;

export function loadModerationConfig(env: Env = process.env): ModerationConfig {
  return loadConfig(moderationConfigSchema, env);
}
