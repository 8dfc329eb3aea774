import { authMigrations } from '@casebook/auth';
import { IntentCatalog1763769600000 } from './1763769600000-intent-catalog';
import { Insights1763780400000 } from './1763780400000-insights';
import { Conversations1763784000000 } from './1763784000000-conversations';

/** Every migration of chatbot-api, oldest first (the identity schema comes from @casebook/auth). */
export const chatbotMigrations = [
  IntentCatalog1763769600000,
  ...authMigrations,
  Insights1763780400000,
  Conversations1763784000000,
];
