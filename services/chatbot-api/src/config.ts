import { auditConfigShape } from '@casebook/audit';
import { identityConfigSchema } from '@casebook/auth';
import { rateLimitEnvShape } from '@casebook/rate-limit';
import { classifierConfigSchema } from './classifier';
import { llmConfigSchema } from './llm';
import { baseConfigSchema, loadConfig, secret, type Env } from '@casebook/platform';
import { z } from 'zod';

export const SERVICE_NAME = 'chatbot-api';
export const SERVICE_DEFAULTS = { port: 3000, database: 'casebook_chatbot' } as const;

export const chatbotConfigSchema = baseConfigSchema(SERVICE_DEFAULTS)
  .merge(identityConfigSchema)
  .merge(llmConfigSchema)
  .merge(classifierConfigSchema)
  .extend(rateLimitEnvShape)
  .extend(auditConfigShape)
  .extend({
    /** Wraps every user's data key (base64, 32 bytes). Required in production; generated under AUTH_KEYS_DIR in development. */
    CHATBOT_MASTER_KEY: secret(z.string().optional()),
    /** Q4.1: each lane has its own workers, so long generations never hold up short answers. */
    QUEUE_SHORT_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
    QUEUE_LONG_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    /** A job whose worker stops renewing its lock (killed) is retried after this long (Q4.3). */
    QUEUE_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
    /** Attempts per answer job before the reply is marked failed. */
    QUEUE_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
    /** A reply still queued after this long without a job is put back on its queue (lost enqueue, Redis wipe). */
    QUEUE_ORPHAN_AFTER_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    /** How often each worker checks that the maintenance schedules still exist in Redis (lost in a wipe). */
    QUEUE_SCHEDULE_CHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    /** An open SSE stream is closed after this long; clients resume with Last-Event-ID. */
    SSE_MAX_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
    MESSAGE_MAX_CHARS: z.coerce.number().int().min(1).max(100_000).default(4_000),
    /** Where the worker asks analytics questions; calls carry a service token acting for the user. */
    QUERY_SERVICE_URL: z.string().url().default('http://127.0.0.1:3001'),
    QUERY_SERVICE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  });

export type ChatbotConfig = z.infer<typeof chatbotConfigSchema>;

export function loadChatbotConfig(env: Env = process.env): ChatbotConfig {
  return loadConfig(chatbotConfigSchema, env);
}
