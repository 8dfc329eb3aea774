import { runMigrationCli } from '@casebook/platform';
import { loadQueryConfig } from '../config';
import { createQueryDataSource } from '../data-source';

void runMigrationCli('query-service', () => createQueryDataSource(loadQueryConfig()));
