import { baseConfigSchema, loadConfig, type Env } from '@casebook/platform';
import type { z } from 'zod';

export const SERVICE_NAME = 'query-service';
export const SERVICE_DEFAULTS = { port: 3001, database: 'casebook_query' } as const;

export const queryConfigSchema = baseConfigSchema(SERVICE_DEFAULTS).extend({});

export type QueryConfig = z.infer<typeof queryConfigSchema>;

export function loadQueryConfig(env: Env = process.env): QueryConfig {
  return loadConfig(queryConfigSchema, env);
}
