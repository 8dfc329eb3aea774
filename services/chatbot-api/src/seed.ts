import type { DataSource } from 'typeorm';
import { INTENT_CATALOG } from './intents/intent-catalog';
import { IntentsRepository } from './intents/intents.repository';

/** Demo data for `pnpm start`; safe to run any number of times. */
export async function seedChatbot(db: DataSource): Promise<void> {
  await new IntentsRepository(db).upsert(INTENT_CATALOG);
}
