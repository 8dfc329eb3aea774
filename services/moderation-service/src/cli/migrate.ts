import { runMigrationCli } from '@casebook/platform';
import { loadModerationConfig } from '../config';
import { createModerationDataSource } from '../data-source';

void runMigrationCli('moderation-service', () => createModerationDataSource(loadModerationConfig()));
