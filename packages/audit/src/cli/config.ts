import { type Env, loadConfig, secret } from '@casebook/platform';
import { z } from 'zod';
import { auditConfigShape } from '../config';

/** What the audit CLIs read from the environment; flags override the database URL. */
export const auditCliConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** The database holding the audit tables: chatbot-api's by default. */
  DATABASE_URL: secret(z.string().url().default('postgres://postgres@127.0.0.1:5432/casebook_chatbot')),
  AUDIT_PSEUDONYM_KEY: auditConfigShape.AUDIT_PSEUDONYM_KEY,
  AUDIT_SIGNING_KEY: auditConfigShape.AUDIT_SIGNING_KEY,
});

export type AuditCliConfig = z.infer<typeof auditCliConfigSchema>;

export function loadAuditCliConfig(env: Env = process.env): AuditCliConfig {
  return loadConfig(auditCliConfigSchema, env);
}
