import { baseConfigSchema, loadConfig, type Env } from '@casebook/platform';
import type { z } from 'zod';

export const SERVICE_NAME = 'chatbot-api';
export const SERVICE_DEFAULTS = { port: 3000, database: 'casebook_chatbot' } as const;

export const chatbotConfigSchema = baseConfigSchema(SERVICE_DEFAULTS).extend({});

export type ChatbotConfig = z.infer<typeof chatbotConfigSchema>;

export function loadChatbotConfig(env: Env = process.env): ChatbotConfig {
  return loadConfig(chatbotConfigSchema, env);
}
