import { z } from 'zod';
import { booleanFlag, commaList, secret } from './config';

export interface ServiceDefaults {
  port: number;
  database: string;
}

/**
 * Variables every casebook HTTP service understands. Each service extends this with its own, so one
 * schema per service is validated once at boot.
 */
export function baseConfigSchema(defaults: ServiceDefaults) {
  return z.object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(defaults.port),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: secret(z.string().url().default(`postgres://postgres@127.0.0.1:5432/${defaults.database}`)),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: secret(z.string().url().default('redis://127.0.0.1:6379/0')),
    /** Every key this process writes starts with it; tests use one per file. */
    REDIS_KEY_PREFIX: z.string().max(64).default(''),
    CORS_ORIGINS: commaList(),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1_024)
      .max(50 * 1_048_576)
      .default(1_048_576),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8_000),
    HEALTH_CHECK_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(1_000),
    DOCS_ENABLED: booleanFlag(true),
  });
}

export type BaseConfig = z.infer<ReturnType<typeof baseConfigSchema>>;
