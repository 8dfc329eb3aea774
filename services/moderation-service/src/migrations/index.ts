import { ModerationCategories1763769600000 } from './1763769600000-moderation-categories';

/** Every migration of moderation-service, oldest first. */
export const moderationMigrations = [ModerationCategories1763769600000];
