import { tokenVerifierConfigSchema } from '@casebook/auth';
import { baseConfigSchema, loadConfig, type Env } from '@casebook/platform';
import type { z } from 'zod';

export const SERVICE_NAME = 'moderation-service';
export const SERVICE_DEFAULTS = { port: 3002, database: 'casebook_moderation' } as const;

export const moderationConfigSchema = baseConfigSchema(SERVICE_DEFAULTS).merge(tokenVerifierConfigSchema);

export type ModerationConfig = z.infer<typeof moderationConfigSchema>;

export function loadModerationConfig(env: Env = process.env): ModerationConfig {
  return loadConfig(moderationConfigSchema, env);
}
