import { ModerationCategories1763769600000 } from './1763769600000-moderation-categories';
import { RuleSetVersions1796000000000 } from './1796000000000-rule-set-versions';

/** Every migration of moderation-service, oldest first. */
export const moderationMigrations = [ModerationCategories1763769600000, RuleSetVersions1796000000000];
