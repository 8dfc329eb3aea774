import type { DataSource } from 'typeorm';
import { type CategoryRow, CategoriesRepository } from './categories/categories.repository';

export const MODERATION_CATEGORIES: CategoryRow[] = [
  {
    name: 'pii',
    description: 'Personal data: emails, phone numbers, cards, IBANs, national ids.',
    failurePolicy: 'fail_closed',
  },
  { name: 'toxicity', description: 'Insults, threats and hateful language.', failurePolicy: 'fail_open' },
  { name: 'profanity', description: 'Words on the per-language block lists.', failurePolicy: 'fail_open' },
  { name: 'compliance', description: 'Region rules such as GDPR, HIPAA and LGPD.', failurePolicy: 'fail_closed' },
];

/** Demo data for `pnpm start`; safe to run any number of times. */
export async function seedModeration(db: DataSource): Promise<void> {
  await new CategoriesRepository(db).upsert(MODERATION_CATEGORIES);
}
