import { runSeedCli } from '@casebook/platform';
import { loadModerationConfig } from '../config';
import { createModerationDataSource } from '../data-source';
import { seedModeration } from '../seed';

void runSeedCli('moderation-service', () => createModerationDataSource(loadModerationConfig()), seedModeration);
