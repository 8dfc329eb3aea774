import { IntentCatalog1763769600000 } from './1763769600000-intent-catalog';

/** Every migration of chatbot-api, oldest first. */
export const chatbotMigrations = [IntentCatalog1763769600000];
